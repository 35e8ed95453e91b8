import type { IRead, ISettingRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';

import {
	DEFAULT_DIGEST_HOUR,
	DEFAULT_DIGEST_WEEKDAY,
	parseDigestSettings,
	WEEKDAYS,
} from '../domain/digest';
import type { IDigestSettings } from '../domain/digest';
import {
	DEFAULT_ADMIN_ROLES,
	DEFAULT_CATEGORIES,
	DEFAULT_MAX_COMMENT_LENGTH,
	OWN_READ_SETTING_IDS,
	parseSettings,
	parseWeDidPosts,
	SettingId,
} from '../domain/settings';
import type { IFeedbackSettings } from '../domain/settings';

/** The settings an admin sees under the app, each labelled through i18n. */
export const settingDefinitions: ReadonlyArray<ISetting> = [
	{
		id: SettingId.Categories,
		type: SettingType.STRING,
		packageValue: DEFAULT_CATEGORIES.join(', '),
		required: true,
		public: false,
		i18nLabel: 'setting_categories_label',
		i18nDescription: 'setting_categories_description',
	},
	{
		id: SettingId.MaxCommentLength,
		type: SettingType.NUMBER,
		packageValue: DEFAULT_MAX_COMMENT_LENGTH,
		required: true,
		public: false,
		i18nLabel: 'setting_max_length_label',
		i18nDescription: 'setting_max_length_description',
	},
	{
		id: SettingId.AllowAnonymous,
		type: SettingType.BOOLEAN,
		packageValue: true,
		required: false,
		public: false,
		i18nLabel: 'setting_allow_anonymous_label',
		i18nDescription: 'setting_allow_anonymous_description',
	},
	{
		id: SettingId.AdminRoles,
		type: SettingType.STRING,
		packageValue: DEFAULT_ADMIN_ROLES.join(', '),
		required: true,
		public: false,
		i18nLabel: 'setting_admin_roles_label',
		i18nDescription: 'setting_admin_roles_description',
	},
	{
		id: SettingId.AnnounceRoom,
		type: SettingType.STRING,
		packageValue: '',
		required: false,
		public: false,
		i18nLabel: 'setting_announce_room_label',
		i18nDescription: 'setting_announce_room_description',
	},
	{
		id: SettingId.WeDidPosts,
		type: SettingType.BOOLEAN,
		packageValue: false,
		required: false,
		public: false,
		i18nLabel: 'setting_we_did_label',
		i18nDescription: 'setting_we_did_description',
	},
	{
		id: SettingId.DigestEnabled,
		type: SettingType.BOOLEAN,
		packageValue: false,
		required: false,
		public: false,
		i18nLabel: 'setting_digest_enabled_label',
		i18nDescription: 'setting_digest_enabled_description',
	},
	{
		id: SettingId.DigestWeekday,
		type: SettingType.SELECT,
		packageValue: DEFAULT_DIGEST_WEEKDAY,
		values: WEEKDAYS.map((day) => ({ key: day, i18nLabel: `weekday_${day}` })),
		required: true,
		public: false,
		i18nLabel: 'setting_digest_weekday_label',
		i18nDescription: 'setting_digest_weekday_description',
	},
	{
		id: SettingId.DigestHour,
		type: SettingType.NUMBER,
		packageValue: DEFAULT_DIGEST_HOUR,
		required: true,
		public: false,
		i18nLabel: 'setting_digest_hour_label',
		i18nDescription: 'setting_digest_hour_description',
	},
	{
		id: SettingId.DigestRoom,
		type: SettingType.STRING,
		packageValue: '',
		required: false,
		public: false,
		i18nLabel: 'setting_digest_room_label',
		i18nDescription: 'setting_digest_room_description',
	},
];

/** The settings every command and submit needs; the digest's and "You said, we did" are read where used. */
const FEEDBACK_SETTING_IDS = Object.values(SettingId).filter(
	(id) => !OWN_READ_SETTING_IDS.includes(id),
);

/** Reads the settings of the form, the admin roles and the announcements once (a call each). */
export async function readSettings(read: IRead): Promise<IFeedbackSettings> {
	const reader = read.getEnvironmentReader().getSettings();
	const entries = await Promise.all(
		FEEDBACK_SETTING_IDS.map(async (id) => [id, await reader.getValueById(id)] as const),
	);
	const values = new Map<SettingId, unknown>(entries);
	return parseSettings((id) => values.get(id));
}

/** Whether "You said, we did" posts are on (one call: read only by a change to Done and the job). */
export async function readWeDidPosts(read: IRead): Promise<boolean> {
	return parseWeDidPosts(
		await read.getEnvironmentReader().getSettings().getValueById(SettingId.WeDidPosts),
	);
}

/** Reads the weekly digest's settings (from the app's settings reader). */
export async function readDigestSettings(reader: ISettingRead): Promise<IDigestSettings> {
	const [enabled, weekday, hour, room] = await Promise.all([
		reader.getValueById(SettingId.DigestEnabled),
		reader.getValueById(SettingId.DigestWeekday),
		reader.getValueById(SettingId.DigestHour),
		reader.getValueById(SettingId.DigestRoom),
	]);
	return parseDigestSettings({ enabled, weekday, hour, room });
}
