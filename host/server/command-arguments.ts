/**
 * Splits slash command text into arguments the way Rocket.Chat's server does before
 * building a SlashCommandContext: on whitespace, with "double" or 'single' quoted
 * parts kept together as one argument (quotes removed, \" unescaped).
 */
export function splitCommandArguments(text: string): string[] {
	const argumentsFound: string[] = [];
	let current = '';
	let inArgument = false;
	let quote: '"' | "'" | undefined;
	for (let index = 0; index < text.length; index++) {
		const character = text[index];
		if (quote) {
			if (character === '\\' && text[index + 1] === '"') {
				current += '"';
				index++;
			} else if (character === quote) {
				quote = undefined;
			} else {
				current += character;
			}
		} else if (character === '"' || character === "'") {
			quote = character;
			inArgument = true;
		} else if (/\s/.test(character)) {
			if (inArgument) {
				argumentsFound.push(current);
				current = '';
				inArgument = false;
			}
		} else {
			current += character;
			inArgument = true;
		}
	}
	if (inArgument) {
		argumentsFound.push(current);
	}
	return argumentsFound;
}
