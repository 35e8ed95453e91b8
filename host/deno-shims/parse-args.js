// Local replacement for jsr:@std/cli/parse-args, limited to what the Apps-Engine
// Deno runtime needs (lib/parseArgs.ts reads `--subprocess <appId> --spawnId <n>`).
// JSR is not reachable offline, so the setup script maps `@std/cli/parse-args` here.

const NUMBER_PATTERN = /^(?:0x[0-9a-f]+|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)$/i;

/** Converts numeric-looking values to numbers, as @std/cli does without a `string` option. */
function coerce(value) {
	return NUMBER_PATTERN.test(value) ? Number(value) : value;
}

/** Parses `--key value`, `--key=value`, `--flag`, `--no-flag` and positionals into an object. */
export function parseArgs(args) {
	const parsed = { _: [] };
	for (let index = 0; index < args.length; index++) {
		const arg = args[index];
		if (arg === '--') {
			parsed._.push(...args.slice(index + 1).map(coerce));
			break;
		}
		if (!arg.startsWith('--') || arg.length === 2) {
			parsed._.push(coerce(arg));
			continue;
		}
		const body = arg.slice(2);
		const equals = body.indexOf('=');
		if (equals !== -1) {
			parsed[body.slice(0, equals)] = coerce(body.slice(equals + 1));
			continue;
		}
		if (body.startsWith('no-')) {
			parsed[body.slice(3)] = false;
			continue;
		}
		const next = args[index + 1];
		if (next !== undefined && !next.startsWith('-')) {
			parsed[body] = coerce(next);
			index++;
		} else {
			parsed[body] = true;
		}
	}
	return parsed;
}
