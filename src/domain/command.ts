/** What a member asked for with /feedback and its arguments. */
export type ParsedCommand =
	| { readonly kind: 'open' }
	| { readonly kind: 'help' }
	| { readonly kind: 'stats' }
	| { readonly kind: 'admin' }
	| { readonly kind: 'export'; readonly from?: string; readonly to?: string }
	| { readonly kind: 'list'; readonly scope: 'own' | 'all'; readonly page: number }
	| { readonly kind: 'delete'; readonly id: string | undefined }
	| { readonly kind: 'delete-several' }
	| { readonly kind: 'invalid-page'; readonly scope: 'own' | 'all' }
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
			return rest.length <= 2
				? { kind: 'export', from: rest[0], to: rest[1] }
				: { kind: 'unknown', word: args.join(' ') };
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
		default:
			return { kind: 'unknown', word: first };
	}
}
