import { EnvironmentalVariableBridge } from '@rocket.chat/apps-engine/server/bridges';

/** Environment variables apps may read on a Rocket.Chat server; the values are the local host's. */
const READABLE_ENVIRONMENT: Readonly<Record<string, string>> = {
	NODE_ENV: 'development',
	ROOT_URL: 'http://localhost:3000',
	INSTANCE_IP: '127.0.0.1',
};

/** The server's environment as apps may read it: a fixed list, never the host process's own. */
export class LocalEnvironmentalVariableBridge extends EnvironmentalVariableBridge {
	protected async getValueByName(envVarName: string): Promise<string | undefined> {
		return READABLE_ENVIRONMENT[envVarName.toUpperCase()];
	}

	protected async isReadable(envVarName: string): Promise<boolean> {
		return envVarName.toUpperCase() in READABLE_ENVIRONMENT;
	}

	protected async isSet(envVarName: string): Promise<boolean> {
		return READABLE_ENVIRONMENT[envVarName.toUpperCase()] !== undefined;
	}
}
