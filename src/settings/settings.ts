import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { ISetting } from '@rocket.chat/apps-engine/definition/settings';
import { SettingType } from '@rocket.chat/apps-engine/definition/settings';

import {
	DEFAULT_ADMIN_ROLES,
	DEFAULT_CATEGORIES,
	DEFAULT_MAX_COMMENT_LENGTH,
	parseSettings,
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
];

/** Reads every setting of the app once. */
export async function readSettings(read: IRead): Promise<IFeedbackSettings> {
	const reader = read.getEnvironmentReader().getSettings();
	const entries = await Promise.all(
		Object.values(SettingId).map(async (id) => [id, await reader.getValueById(id)] as const),
	);
	const values = new Map<SettingId, unknown>(entries);
	return parseSettings((id) => values.get(id));
}
