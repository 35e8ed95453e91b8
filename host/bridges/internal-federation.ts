import { generateKeyPairSync } from 'crypto';

import type { IInternalFederationBridge } from '@rocket.chat/apps-engine/server/bridges';

import type { Database } from '../server/database';

/** The workspace's RSA key pair the engine signs installed apps with; created once per database. */
export class LocalInternalFederationBridge implements IInternalFederationBridge {
	constructor(private readonly database: Database) {}

	public async getPrivateKey(): Promise<string | null> {
		return this.keys().privateKey;
	}

	public async getPublicKey(): Promise<string | null> {
		return this.keys().publicKey;
	}

	private keys(): { privateKey: string; publicKey: string } {
		const read = (name: string) =>
			(
				this.database.prepare('SELECT value FROM server_keys WHERE name = ?').get(name) as
					| { value: string }
					| undefined
			)?.value;
		const existing = { privateKey: read('private_key'), publicKey: read('public_key') };
		if (existing.privateKey && existing.publicKey) {
			return { privateKey: existing.privateKey, publicKey: existing.publicKey };
		}
		const generated = generateKeyPairSync('rsa', {
			modulusLength: 2048,
			publicKeyEncoding: { type: 'spki', format: 'pem' },
			privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
		});
		this.database
			.transaction(() => {
				// Another host process may have stored a pair meanwhile: keep the first one.
				const insert = this.database.prepare(
					'INSERT OR IGNORE INTO server_keys (name, value) VALUES (?, ?)',
				);
				insert.run('private_key', generated.privateKey);
				insert.run('public_key', generated.publicKey);
			})
			.immediate();
		return {
			privateKey: read('private_key') ?? generated.privateKey,
			publicKey: read('public_key') ?? generated.publicKey,
		};
	}
}
