/** What a member asked for with /feedback and its arguments. */
export type ParsedCommand =
	| { readonly kind: 'open' }
	| { readonly kind: 'help' }
	| { readonly kind: 'stats' }
	| { readonly kind: 'admin' }
	| {
			readonly kind: 'export';
			readonly from?: string;
			readonly to?: string;
			/** `in #room`: the room to upload into (without the #) instead of the direct room. */
			readonly room?: string;
	  }
	| { readonly kind: 'list'; readonly scope: 'own' | 'all'; readonly page: number }
	| { readonly kind: 'delete'; readonly id: string | undefined }
	| { readonly kind: 'delete-several' }
	/** `follow <id>` / `unfollow <id>`: no id, or more than one word, leaves `id` undefined. */
	| { readonly kind: 'follow'; readonly following: boolean; readonly id: string | undefined }
	/** `notices off|on`; `on` is undefined for anything else. */
	| { readonly kind: 'notices'; readonly on: boolean | undefined }
	| { readonly kind: 'invalid-page'; readonly scope: 'own' | 'all' }
	/** `survey new`, `survey close <id>`, `survey reopen <id>`; anything else is `usage`. */
	| { readonly kind: 'survey'; readonly action: 'new' }
	| { readonly kind: 'survey'; readonly action: 'close' | 'reopen'; readonly id: string }
	| { readonly kind: 'survey'; readonly action: 'usage' }
	| { readonly kind: 'unknown'; readonly word: string };

/** A page argument as a whole number from 1 (huge ones kept exact enough to be out of range). */
export function parsePage(text: string | undefined): number | undefined {
	if (text === undefined) {
		return 1;
	}
	return /^[1-9]\d*$/.test(text) ? Math.min(Number(text), Number.MAX_SAFE_INTEGER) : undefined;
}

function list(
	scope: 'own' | 'all',
	pageText: string | undefined,
	extra: ReadonlyArray<string>,
): ParsedCommand {
	const page = parsePage(pageText);
	return page === undefined || extra.length > 0
		? { kind: 'invalid-page', scope }
		: { kind: 'list', scope, page };
}

/**
 * `export [from] [to] [in #room]`: up to two dates, then optionally `in` and one room name (with
 * or without its #). Anything else is not an export.
 */
function exportCommand(rest: ReadonlyArray<string>, args: ReadonlyArray<string>): ParsedCommand {
	const at = rest.findIndex((word) => word.toLowerCase() === 'in');
	const dates = at === -1 ? rest : rest.slice(0, at);
	const target = at === -1 ? [] : rest.slice(at + 1);
	const room = target[0]?.replace(/^#/, '');
	if (dates.length > 2 || (at !== -1 && (target.length !== 1 || !room))) {
		return { kind: 'unknown', word: args.join(' ') };
	}
	return { kind: 'export', from: dates[0], to: dates[1], ...(room ? { room } : {}) };
}

/** `survey new` or `survey close|reopen <id>` (one id, lower-cased as ids are). */
function surveyCommand(rest: ReadonlyArray<string>): ParsedCommand {
	const [action, ...ids] = rest.map((word) => word.toLowerCase());
	if (action === 'new' && ids.length === 0) {
		return { kind: 'survey', action: 'new' };
	}
	if ((action === 'close' || action === 'reopen') && ids.length === 1) {
		return { kind: 'survey', action, id: ids[0] };
	}
	return { kind: 'survey', action: 'usage' };
}

/** Parses the arguments of /feedback (the text after the command, split on whitespace). */
export function parseFeedbackCommand(args: ReadonlyArray<string>): ParsedCommand {
	const [first, ...rest] = args.filter((arg) => arg.length > 0);
	if (first === undefined) {
		return { kind: 'open' };
	}
	switch (first.toLowerCase()) {
		case 'help':
			return { kind: 'help' };
		case 'stats':
			return rest.length === 0 ? { kind: 'stats' } : { kind: 'unknown', word: args.join(' ') };
		case 'export':
			return exportCommand(rest, args);
		case 'admin':
			return rest.length === 0 ? { kind: 'admin' } : { kind: 'unknown', word: args.join(' ') };
		case 'list':
			return rest[0]?.toLowerCase() === 'all'
				? list('all', rest[1], rest.slice(2))
				: list('own', rest[0], rest.slice(1));
		case 'delete':
			// One id only: an extra word could be a second id the member thinks is deleted too.
			return rest.length > 1
				? { kind: 'delete-several' }
				: { kind: 'delete', id: rest[0]?.toLowerCase() };
		case 'follow':
		case 'unfollow':
			return {
				kind: 'follow',
				following: first.toLowerCase() === 'follow',
				id: rest.length === 1 ? rest[0].toLowerCase() : undefined,
			};
		case 'survey':
			return surveyCommand(rest);
		case 'notices': {
			const choice = rest.length === 1 ? rest[0].toLowerCase() : '';
			const known = choice === 'on' || choice === 'off';
			return { kind: 'notices', on: known ? choice === 'on' : undefined };
		}
		default:
			return { kind: 'unknown', word: first };
	}
}
