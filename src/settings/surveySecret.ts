import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';

/**
 * The server's environment variable that keys anonymous survey answers (docs/surveys.md, scheme
 * "keyed"): `RC_APPS_` and the app's id uppercased with `-` as `_`, the prefix Rocket.Chat lets an
 * app read (apps/meteor/app/apps/server/bridges/environmental.ts), then `_SURVEY_SECRET`.
 */
export function surveySecretName(appId: string): string {
	return `RC_APPS_${appId.toUpperCase().replace(/-/g, '_')}_SURVEY_SECRET`;
}

/** The survey secret from the server's environment, or undefined when it is not set (a failed read throws). */
export async function readSurveySecret(read: IRead, appId: string): Promise<string | undefined> {
	const value: unknown = await read
		.getEnvironmentReader()
		.getEnvironmentVariables()
		.getValueByName(surveySecretName(appId));
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads the survey secret the first time it is asked for, once per request: an export or a digest
 * with no anonymous survey never reads it, so a failed read cannot stop them.
 */
export function surveySecretOnDemand(
	read: IRead,
	appId: string,
): () => Promise<string | undefined> {
	let secret: Promise<string | undefined> | undefined;
	return () => {
		secret ??= readSurveySecret(read, appId);
		return secret;
	};
}
