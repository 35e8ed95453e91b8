// The language of replies, forms and errors: the member's choice, else the workspace's
// `Language` server setting, else English.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fieldOf, fixturePerTest, reply, sendFeedback, listText } from './app-fixture';

const ENGLISH_HELP = '*How to use /feedback:*';
const GERMAN_HELP = '*So verwendest du /feedback:*';
const PORTUGUESE_HELP = '*Como usar /feedback:*';

/** The first line of a member's /feedback help. */
async function helpTitle(host: Parameters<typeof reply>[0], username: string): Promise<string> {
	return (await reply(host, username, '/feedback help')).split('\n')[0];
}

describe('the language of replies', () => {
	const fixture = fixturePerTest('language');

	it('answers in Portuguese for bruno and in German for clara', async () => {
		const { host } = fixture();
		assert.equal(await helpTitle(host, 'bruno'), PORTUGUESE_HELP);
		assert.equal(await helpTitle(host, 'clara'), GERMAN_HELP);
		assert.equal(
			(await reply(host, 'bruno', '/feedback xyz')).split('\n')[0],
			'`xyz` não é um comando do /feedback.',
		);
		assert.equal(
			(await reply(host, 'clara', '/feedback xyz')).split('\n')[0],
			'`xyz` ist kein /feedback-Befehl.',
		);

		await host.runSlashCommand('bruno', 'general', '/feedback');
		const empty = await host.submitView('bruno', { comment: '' });
		assert.deepEqual(empty.errors, { comment: 'Escreva um comentário.' });
		const tooLong = await host.submitView('bruno', { comment: 'a'.repeat(2001) });
		assert.deepEqual(tooLong.errors, {
			comment: 'Seu comentário tem 2001 caracteres; o limite é 2000.',
		});
		const saved = await host.submitView('bruno', { comment: 'Muito bom', category: 'Praise' });
		assert.match(
			saved.notifications[0]?.text ?? '',
			/^Obrigado! Seu feedback foi salvo como [0-9a-f]{8}\.$/,
		);
		const brunoId = /([0-9a-f]{8})\.$/.exec(saved.notifications[0].text)?.[1] ?? '';
		assert.equal(
			await reply(host, 'bruno', `/feedback delete ${brunoId}`),
			`O feedback ${brunoId} foi excluído.`,
		);

		await host.runSlashCommand('clara', 'general', '/feedback');
		const noCategory = await host.submitView('clara', { comment: 'gut', category: '' });
		assert.deepEqual(noCategory.errors, { category: 'Wähle eine der aufgeführten Kategorien.' });
		const badCategory = await host.submitView('clara', { comment: 'gut', category: 'Lob' });
		assert.deepEqual(badCategory.errors, {
			category:
				'Die Kategorien haben sich geändert, seit dieses Formular geöffnet wurde. Schließe es und gib erneut /feedback ein, um die aktuellen zu sehen.',
		});
		await host.closeView('clara');

		assert.equal(
			await reply(host, 'bruno', '/feedback stats'),
			'Somente administradores do workspace podem ver as estatísticas de feedback.',
		);
		assert.equal(
			await reply(host, 'clara', '/feedback list all'),
			'Nur Workspace-Admins können das Feedback aller auflisten.',
		);
	});

	it('answers a member without a chosen language in the workspace language', async () => {
		const { host } = fixture();
		host.setServerSetting('Language', 'de');
		assert.equal(await helpTitle(host, 'dora'), GERMAN_HELP);
		assert.equal(
			await listText(host, 'dora', '/feedback list'),
			'Du hast noch kein Feedback gesendet. Gib /feedback ein, um welches zu senden.',
		);
		const opened = await host.runSlashCommand('dora', 'general', '/feedback');
		assert.equal((opened.view?.view.title as { text: string }).text, 'Feedback senden');
		assert.equal(fieldOf(opened.view, 'comment').label?.text, 'Dein Feedback');
		const empty = await host.submitView('dora', { comment: ' ' });
		assert.deepEqual(empty.errors, { comment: 'Bitte schreib einen Kommentar.' });
		await host.closeView('dora');
		const sent = await sendFeedback(host, 'dora', 'general', { comment: 'Hallo' });
		assert.equal(sent.confirmation, `Danke! Dein Feedback wurde als ${sent.shortId} gespeichert.`);

		// A member's own choice comes first.
		assert.equal(await helpTitle(host, 'bruno'), PORTUGUESE_HELP);
		assert.equal(await helpTitle(host, 'alice'), ENGLISH_HELP);

		// A regional code finds its language; one the app does not ship means English.
		host.setServerSetting('Language', 'pt');
		assert.equal(await helpTitle(host, 'dora'), PORTUGUESE_HELP);
		host.setServerSetting('Language', 'fr');
		assert.equal(await helpTitle(host, 'dora'), ENGLISH_HELP);
	});

	it('answers in English when neither the member nor the workspace chose a language', async () => {
		const { host } = fixture();
		assert.equal(
			host.serverSettings().find((setting) => setting.id === 'Language')?.value,
			'',
			'a new server has no workspace language',
		);
		assert.equal(await helpTitle(host, 'dora'), ENGLISH_HELP);
		const opened = await host.runSlashCommand('dora', 'general', '/feedback');
		assert.equal((opened.view?.view.title as { text: string }).text, 'Send feedback');
		await host.closeView('dora');
		const sent = await sendFeedback(host, 'dora', 'general', { comment: 'Hello' });
		assert.equal(sent.confirmation, `Thank you! Your feedback was saved as ${sent.shortId}.`);

		host.setServerSetting('Language', 'de');
		assert.equal(await helpTitle(host, 'dora'), GERMAN_HELP);
		host.setServerSetting('Language', '');
		assert.equal(await helpTitle(host, 'dora'), ENGLISH_HELP, 'back to English once cleared');
	});
});
