import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';

import type { IServerSettingInfo } from '../../host';
import { parseDigestSettings, WEEKDAYS } from '../../src/domain/digest';
import {
	DEFAULT_ADMIN_ROLES,
	DEFAULT_CATEGORIES,
	DEFAULT_MAX_COMMENT_LENGTH,
	MAX_COMMENT_LENGTH_CEILING,
	parseList,
	parseSettings,
	parseWeDidPosts,
	SettingId,
} from '../../src/domain/settings';
import type { IEffectiveValueDto, ISettingDto } from '../shared/protocol';

/** The server settings the admin panel shows, with their labels (Administration > Workspace). */
export const PANEL_SERVER_SETTINGS: Readonly<
	Record<string, { label: string; description: string; values?: ISettingDto['values'] }>
> = {
	Language: {
		label: 'Language',
		description:
			'The workspace language (Settings > General). Members who never chose a language get it; empty means none was chosen.',
		// A few of Rocket.Chat's languages: the app speaks en, pt-BR, de and es; fr shows its fallback.
		values: [
			{ key: '', label: 'None chosen (default)' },
			{ key: 'en', label: 'English' },
			{ key: 'pt-BR', label: 'Português (Brasil)' },
			{ key: 'de', label: 'Deutsch' },
			{ key: 'es', label: 'Español' },
			{ key: 'fr', label: 'Français' },
		],
	},
	Message_MaxAllowedSize: {
		label: 'Maximum allowed characters per message',
		description:
			'Settings > Message. The server refuses a longer message, counting UTF-16 units (an emoji is 2, a family emoji 11); the app cuts what people typed to fit it.',
	},
	Message_CustomFields_Enabled: {
		label: 'Allow custom fields in messages',
		description:
			'Settings > Message > Custom Fields. Off (the default): the server refuses any message with customFields.',
	},
	Message_CustomFields: {
		label: 'Custom fields validation',
		description:
			'A JSON schema every message’s customFields must satisfy when custom fields are allowed; fields it does not declare are refused.',
	},
	Message_KeepHistory: {
		label: 'Keep History',
		description:
			'Settings > Message. On: each edit first keeps the message as it was in a hidden copy (the app’s edits too); off (the default) keeps none.',
	},
	FileUpload_Enabled: {
		label: 'File Uploads Enabled',
		description: 'Settings > File Upload. Off: the server refuses every upload, the export’s too.',
	},
	FileUpload_Enabled_Direct: {
		label: 'File Uploads Enabled in Direct Messages',
		description: 'Off: the server refuses uploads into direct rooms (export into a room instead).',
	},
	FileUpload_MaxFileSize: {
		label: 'Maximum File Upload Size (in bytes)',
		description: '-1 removes the limit; a file larger than the limit is refused.',
	},
	FileUpload_MediaTypeWhiteList: {
		label: 'Accepted Media Types',
		description:
			'Comma-separated media types (type/* for a group); empty accepts every type. The export is text/csv.',
	},
	FileUpload_MediaTypeBlackList: {
		label: 'Blocked Media Types',
		description: 'Comma-separated media types refused even when accepted above.',
	},
	E2E_Enable: {
		label: 'End-to-end encryption',
		description: 'Settings > E2E Encryption. Needed by the two settings below.',
	},
	E2E_Enabled_Default_DirectRooms: {
		label: 'Encrypt new direct rooms by default',
		description: 'New direct rooms (the app’s with a member too) are created encrypted.',
	},
	E2E_Allow_Unencrypted_Messages: {
		label: 'Allow unencrypted messages in encrypted rooms',
		description:
			'Off (the default): the server refuses plain messages in an encrypted room, the app’s included.',
	},
};

/** A list as the panel shows it. */
function listText(items: ReadonlyArray<string>): string {
	return items.join(', ');
}

/** What the app uses for the announcement room, and why when it posts nowhere. */
function announceRoomInEffect(
	name: string,
	roomByName: (name: string) => IRoom | undefined,
): IEffectiveValueDto {
	if (name === '') {
		return { value: 'no announcements' };
	}
	const room = roomByName(name);
	if (!room) {
		return {
			value: 'no announcements',
			ignored: true,
			note: `There is no room "${name}" in this workspace: the app logs a warning and announces nothing.`,
		};
	}
	if (room.isReadOnly) {
		return {
			value: `#${name}`,
			ignored: true,
			note: `#${name} is read-only and the app user lacks post-readonly: the server refuses each announcement (the app logs it).`,
		};
	}
	return { value: `#${name}` };
}

/** Whether "You said, we did" posts are made: on needs an announcement room that exists. */
function weDidInEffect(
	on: boolean,
	announceRoom: string,
	roomByName: (name: string) => IRoom | undefined,
): IEffectiveValueDto {
	if (!on) {
		return { value: 'off' };
	}
	if (announceRoom === '' || !roomByName(announceRoom)) {
		return {
			value: 'off',
			ignored: true,
			note: 'No announcement room exists: the app logs a warning and posts nothing.',
		};
	}
	return { value: 'on' };
}

/**
 * What the app will actually use for each of its settings, as its readSettings normalises the
 * stored values (src/settings/settings.ts), with the reason when a value is not used as typed.
 */
export function effectiveAppSettings(
	stored: (id: string) => unknown,
	roomByName: (name: string) => IRoom | undefined,
): Record<string, IEffectiveValueDto> {
	const used = parseSettings((id) => stored(id));
	const rawLength = stored(SettingId.MaxCommentLength);
	const typedCategories = parseList(stored(SettingId.Categories));
	const typedRoles = parseList(stored(SettingId.AdminRoles));
	const typedLength =
		typeof rawLength === 'string' && /^\s*\d+\s*$/.test(rawLength) ? Number(rawLength) : rawLength;
	let maxLength: IEffectiveValueDto = { value: String(used.maxCommentLength) };
	if (typedLength !== used.maxCommentLength) {
		const aboveCeiling =
			typeof typedLength === 'number' && typedLength > MAX_COMMENT_LENGTH_CEILING;
		maxLength = {
			...maxLength,
			ignored: true,
			note: aboveCeiling
				? `${typedLength} is above the app's ceiling: the form accepts at most ${MAX_COMMENT_LENGTH_CEILING} characters.`
				: `${JSON.stringify(rawLength)} is not a whole number of at least 1: the form uses the default, ${DEFAULT_MAX_COMMENT_LENGTH}.`,
		};
	}
	return {
		[SettingId.Categories]:
			typedCategories.length === 0
				? {
						value: listText(used.categories),
						ignored: true,
						note: `No category is given: the form offers the defaults, ${listText(DEFAULT_CATEGORIES)}.`,
					}
				: { value: listText(used.categories) },
		[SettingId.MaxCommentLength]: maxLength,
		[SettingId.AllowAnonymous]: { value: used.allowAnonymous ? 'on' : 'off' },
		[SettingId.AdminRoles]:
			typedRoles.length === 0
				? {
						value: listText(used.adminRoles),
						ignored: true,
						note: `No role is given: the app uses the default, ${listText(DEFAULT_ADMIN_ROLES)}.`,
					}
				: { value: listText(used.adminRoles) },
		[SettingId.AnnounceRoom]: announceRoomInEffect(used.announceRoom, roomByName),
		[SettingId.WeDidPosts]: weDidInEffect(
			parseWeDidPosts(stored(SettingId.WeDidPosts)),
			used.announceRoom,
			roomByName,
		),
		...digestInEffect(stored, roomByName),
	};
}

/** What the weekly digest will do with its stored settings (src/domain/digest.ts). */
function digestInEffect(
	stored: (id: string) => unknown,
	roomByName: (name: string) => IRoom | undefined,
): Record<string, IEffectiveValueDto> {
	const digest = parseDigestSettings({
		enabled: stored(SettingId.DigestEnabled),
		weekday: stored(SettingId.DigestWeekday),
		hour: stored(SettingId.DigestHour),
		room: stored(SettingId.DigestRoom),
	});
	const rawHour = stored(SettingId.DigestHour);
	const hour: IEffectiveValueDto =
		Number(rawHour) === digest.hour
			? { value: `${digest.hour}:00 UTC` }
			: {
					value: `${digest.hour}:00 UTC`,
					ignored: true,
					note: `${JSON.stringify(rawHour)} is not an hour from 0 to 23: the digest uses ${digest.hour}:00 UTC.`,
				};
	let room: IEffectiveValueDto = { value: digest.room === '' ? 'no digest' : `#${digest.room}` };
	if (digest.room !== '' && !roomByName(digest.room)) {
		room = {
			value: 'no digest',
			ignored: true,
			note: `There is no room "${digest.room}" in this workspace: the app logs a warning and posts no digest.`,
		};
	}
	return {
		[SettingId.DigestEnabled]: {
			value: digest.enabled && digest.room !== '' ? 'on' : 'off',
			...(digest.enabled && digest.room === ''
				? { ignored: true, note: 'No digest room is set: the app schedules no digest.' }
				: {}),
		},
		[SettingId.DigestWeekday]: { value: WEEKDAYS[digest.weekday] },
		[SettingId.DigestHour]: hour,
		[SettingId.DigestRoom]: room,
	};
}

/** A server setting as the panel edits it (the language as a select, the schema as code). */
export function serverSettingDto(setting: IServerSettingInfo): ISettingDto {
	const panel = PANEL_SERVER_SETTINGS[setting.id];
	return {
		id: setting.id,
		type: setting.type === 'language' ? 'select' : setting.type,
		value: setting.value,
		packageValue: setting.packageValue,
		required: false,
		label: panel?.label ?? setting.id,
		description: panel?.description ?? '',
		...(panel?.values ? { values: panel.values } : {}),
	};
}
