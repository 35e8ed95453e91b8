export enum SettingId {
	Categories = 'feedback_categories',
	MaxCommentLength = 'feedback_max_comment_length',
	AllowAnonymous = 'feedback_allow_anonymous',
	AdminRoles = 'feedback_admin_roles',
	AnnounceRoom = 'feedback_announce_room',
	WeDidPosts = 'feedback_we_did_posts',
	DigestEnabled = 'feedback_digest_enabled',
	DigestWeekday = 'feedback_digest_weekday',
	DigestHour = 'feedback_digest_hour',
	DigestRoom = 'feedback_digest_room',
}

/** The settings that decide when and where the weekly digest runs. */
export const DIGEST_SETTING_IDS: ReadonlyArray<string> = [
	SettingId.DigestEnabled,
	SettingId.DigestWeekday,
	SettingId.DigestHour,
	SettingId.DigestRoom,
];

/** Settings read only where they are used, not with every command and submit (readSettings). */
export const OWN_READ_SETTING_IDS: ReadonlyArray<string> = [
	SettingId.WeDidPosts,
	...DIGEST_SETTING_IDS,
];

export const DEFAULT_CATEGORIES = ['General', 'Bug', 'Idea', 'Praise'];
export const DEFAULT_MAX_COMMENT_LENGTH = 2000;
/** Guards against a typo like 2000000 in the setting making the form accept anything. */
export const MAX_COMMENT_LENGTH_CEILING = 10000;
export const DEFAULT_ADMIN_ROLES = ['admin'];

/** The settings as the app uses them, already parsed and defaulted. */
export interface IFeedbackSettings {
	readonly categories: ReadonlyArray<string>;
	readonly maxCommentLength: number;
	readonly allowAnonymous: boolean;
	readonly adminRoles: ReadonlyArray<string>;
	readonly announceRoom: string;
}

/** A comma-separated list as distinct trimmed non-empty items, in the order given. */
export function parseList(value: unknown): Array<string> {
	if (typeof value !== 'string') {
		return [];
	}
	const items = value
		.split(',')
		.map((item) => item.trim())
		.filter((item) => item.length > 0);
	return [...new Set(items)];
}

/** The comment limit: a whole number from 1 to the ceiling, else the default. */
export function parseMaxCommentLength(value: unknown): number {
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
		return DEFAULT_MAX_COMMENT_LENGTH;
	}
	return Math.min(number, MAX_COMMENT_LENGTH_CEILING);
}

/** Raw setting values (as the server stores them) turned into IFeedbackSettings. */
export function parseSettings(raw: (id: SettingId) => unknown): IFeedbackSettings {
	const categories = parseList(raw(SettingId.Categories));
	const adminRoles = parseList(raw(SettingId.AdminRoles));
	const announceRoom = raw(SettingId.AnnounceRoom);
	return {
		categories: categories.length > 0 ? categories : DEFAULT_CATEGORIES,
		maxCommentLength: parseMaxCommentLength(raw(SettingId.MaxCommentLength)),
		allowAnonymous: raw(SettingId.AllowAnonymous) === true,
		adminRoles: adminRoles.length > 0 ? adminRoles : DEFAULT_ADMIN_ROLES,
		announceRoom: typeof announceRoom === 'string' ? announceRoom.trim().replace(/^#/, '') : '',
	};
}

/** Whether a feedback moved to Done is posted in the announcement room ("You said, we did"): only for true. */
export function parseWeDidPosts(value: unknown): boolean {
	return value === true;
}

/** Whether the user holds one of the admin roles. */
export function isFeedbackAdmin(
	roles: ReadonlyArray<string> | undefined,
	settings: IFeedbackSettings,
): boolean {
	return (roles ?? []).some((role) => settings.adminRoles.includes(role));
}
