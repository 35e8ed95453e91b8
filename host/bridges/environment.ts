import { EnvironmentalVariableBridge } from '@rocket.chat/apps-engine/server/bridges';

// Follows Rocket.Chat's apps/meteor/app/apps/server/bridges/environmental.ts
// (AppEnvironmentalVariableBridge). The engine's EnvironmentalVariableBridge checks the app's
// `env.read` permission before any of these runs (without it the app gets nothing back).

/** The names every app may read, whatever its id (the server's `allowed`, compared uppercased). */
export const ALLOWED_ENVIRONMENT_VARIABLES: readonly string[] = [
	'NODE_ENV',
	'ROOT_URL',
	'INSTANCE_IP',
];

/** The host's values for the allowed names, where a server has its process's own. */
export const DEFAULT_ENVIRONMENT: Readonly<Record<string, string>> = {
	NODE_ENV: 'development',
	ROOT_URL: 'http://localhost:3000',
	INSTANCE_IP: '127.0.0.1',
};

/**
 * The prefix of an app's own variables, `RC_APPS_` and its id uppercased with `-` as `_`
 * (no trailing `_`: the server matches any name that starts so, compared uppercased).
 */
export function appEnvironmentPrefix(appId: string): string {
	return `RC_APPS_${appId.toUpperCase().replace(/-/g, '_')}`;
}

/** Whether an app may read a variable: an allowed name or one of its own, as the server decides. */
export function isReadableByApp(envVarName: string, appId: string): boolean {
	const name = envVarName.toUpperCase();
	return (
		ALLOWED_ENVIRONMENT_VARIABLES.includes(name) || name.startsWith(appEnvironmentPrefix(appId))
	);
}

/**
 * The server's environment as apps may read it. The values are the host's defaults and what its
 * operator set (LocalHost option `environment`), never the host process's own environment.
 */
export class LocalEnvironmentalVariableBridge extends EnvironmentalVariableBridge {
	private readonly environment: ReadonlyMap<string, string>;

	constructor(operatorEnvironment: Readonly<Record<string, string>> = {}) {
		super();
		this.environment = new Map(Object.entries({ ...DEFAULT_ENVIRONMENT, ...operatorEnvironment }));
	}

	// The server looks the value up by the name as given (process.env is case-sensitive on
	// Linux): `node_env` is readable but unset.
	protected async getValueByName(envVarName: string, appId: string): Promise<string | undefined> {
		this.refuseUnreadable(envVarName, appId);
		return this.environment.get(envVarName);
	}

	protected async isReadable(envVarName: string, appId: string): Promise<boolean> {
		return isReadableByApp(envVarName, appId);
	}

	protected async isSet(envVarName: string, appId: string): Promise<boolean> {
		this.refuseUnreadable(envVarName, appId);
		return this.environment.has(envVarName);
	}

	/** Throws the server's error for a name the app may not read. */
	private refuseUnreadable(envVarName: string, appId: string): void {
		if (!isReadableByApp(envVarName, appId)) {
			throw new Error(`The environmental variable "${envVarName}" is not readable.`);
		}
	}
}
