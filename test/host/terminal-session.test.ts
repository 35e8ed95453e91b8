import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { InputError, parseSubmitValues, splitWords } from '../../host/drivers/cli-input';
import type { LocalHost } from '../../host/drivers/local-host';
import { TerminalSession } from '../../host/drivers/terminal-session';
import { type IEngineFixture, SETTING, startFixture, stopFixture } from '../engine/app-fixture';

describe('the terminal host’s input', () => {
	it('splits words, keeping quoted text together', () => {
		assert.deepEqual(splitWords(`set feedback_categories "Bug, Idea"`), [
			'set',
			'feedback_categories',
			'Bug, Idea',
		]);
		assert.deepEqual(splitWords(`x '' "a \\"b\\"" 'it\\'s'`), ['x', '', 'a "b"', "it's"]);
	});

	it('refuses an unclosed quote or bracket', () => {
		assert.throws(() => splitWords('set feedback_categories "Bug, Idea'), InputError);
		assert.throws(() => splitWords(`say 'hello`), /Unclosed ' quote in "'hello"/);
		assert.throws(
			() => parseSubmitValues('anonymous=["anonymous"'),
			/Unclosed \[ in "anonymous=\[\\"anonymous\\"": a JSON value needs its closing bracket/,
		);
	});

	it('reads JSON values whole, inner quotes and spaces included', () => {
		assert.deepEqual(parseSubmitValues('anonymous=["anonymous"] comment="so good"'), {
			anonymous: ['anonymous'],
			comment: 'so good',
		});
		assert.deepEqual(parseSubmitValues(`tags='["a b", "c"]' note={"k": "v w"}`), {
			tags: ['a b', 'c'],
			note: { k: 'v w' },
		});
		assert.throws(() => parseSubmitValues('anonymous=[yes]'), /anonymous=\[yes\] is not JSON/);
		assert.throws(() => parseSubmitValues('comment'), /Expected key=value, got "comment"/);
		assert.throws(() => parseSubmitValues('=x'), /Expected key=value, got "=x"/);
	});
});

describe('the terminal host on the packaged app', () => {
	let fixture: IEngineFixture | undefined;
	let host: LocalHost;
	let terminal: TerminalSession;

	before(async () => {
		fixture = await startFixture('terminal');
		host = fixture.host;
		terminal = new TerminalSession(host, 'alice', 'general');
	});

	after(async () => {
		await stopFixture(fixture);
	});

	/** Runs lines as a member and returns the last line's output. */
	async function typeAs(username: string, ...lines: string[]): Promise<string> {
		terminal.username = username;
		let output = '';
		for (const line of lines) {
			output = await terminal.run(line);
		}
		return output;
	}

	it('lists the workspace’s members in its help, and names an unknown command', async () => {
		const help = await typeAs('alice', 'help');
		assert.match(help, /as <username> +act as another user \(admin, alice, bruno, clara, dora\)/);
		assert.match(help, /anonymous=\["anonymous"\]/);
		assert.equal(await typeAs('alice', 'frobnicate'), 'Unknown command "frobnicate". Type help.');
	});

	it('keeps set and server-set for admins', async () => {
		assert.equal(
			await typeAs('alice', `set ${SETTING.allowAnonymous} false`),
			'error: set is for workspace admins and alice is not one: type "as admin" first',
		);
		assert.match(
			await typeAs('dora', 'server-set Language de'),
			/^error: server-set is for workspace admins and dora is not one/,
		);
		const anonymous = host.settings()[SETTING.allowAnonymous];
		assert.equal(anonymous.value ?? anonymous.packageValue, true, 'unchanged');
	});

	it('stores a setting with its type: a boolean, a whole number, text', async () => {
		assert.equal(
			await typeAs('admin', `set ${SETTING.allowAnonymous} false`),
			`(setting ${SETTING.allowAnonymous} is now false)`,
		);
		assert.equal(host.settings()[SETTING.allowAnonymous].value, false);
		await typeAs('admin', `set ${SETTING.allowAnonymous} TRUE`);
		assert.equal(host.settings()[SETTING.allowAnonymous].value, true);
		await typeAs('admin', `set ${SETTING.maxLength} 250`);
		assert.equal(host.settings()[SETTING.maxLength].value, 250);
		await typeAs('admin', `set ${SETTING.categories} "Bug, Idea"`);
		assert.equal(host.settings()[SETTING.categories].value, 'Bug, Idea');
		await typeAs('admin', `set ${SETTING.announceRoom} ""`);
		assert.equal(host.settings()[SETTING.announceRoom].value, '');
		assert.match(await typeAs('admin', 'settings'), /feedback_max_comment_length \(int\) = 250/);
		await typeAs(
			'admin',
			`set ${SETTING.maxLength} 2000`,
			`set ${SETTING.categories} "General, Bug, Idea, Praise"`,
		);
	});

	it('refuses a value of the wrong type, an unknown setting, a missing value', async () => {
		const cases: Array<[string, RegExp]> = [
			[`set ${SETTING.maxLength} abc`, /needs a whole number/],
			[`set ${SETTING.maxLength} 2.5`, /needs a whole number/],
			[`set ${SETTING.allowAnonymous} yes`, /needs true or false/],
			[`set ${SETTING.categories} "Bug, Idea`, /Unclosed " quote/],
			['set no_such_setting 1', /The app has no setting "no_such_setting"; settings: feedback_/],
			[`set ${SETTING.maxLength}`, /Usage: set <setting> <value>/],
			['server-set Message_CustomFields_Enabled yes', /\(boolean\) needs true or false/],
			['server-set No_Such_Setting 1', /The server has no setting "No_Such_Setting"/],
			['server-set Language', /Usage: server-set <id> <value>/],
		];
		for (const [line, error] of cases) {
			assert.match(await typeAs('admin', line), new RegExp(`^error: .*${error.source}`), line);
		}
		assert.equal(host.settings()[SETTING.maxLength].value, 2000, 'nothing changed');
	});

	it('changes server settings by their type', async () => {
		assert.equal(
			await typeAs('admin', 'server-set Message_CustomFields_Enabled true'),
			'(server setting Message_CustomFields_Enabled is now true)',
		);
		await typeAs('admin', 'server-set Language pt-BR');
		const values = Object.fromEntries(
			host.serverSettings().map((entry) => [entry.id, entry.value]),
		);
		assert.equal(values.Message_CustomFields_Enabled, true);
		assert.equal(values.Language, 'pt-BR');
		assert.match(await typeAs('admin', 'server-settings'), /Language \(language\) = "pt-BR"/);
		host.resetServerSetting('Message_CustomFields_Enabled');
		host.resetServerSetting('Language');
	});

	it('submits the form as the help shows, the checkbox included', async () => {
		await typeAs('alice', '/feedback');
		const output = await typeAs(
			'alice',
			'submit comment="Search is slow" category=Bug rating=3 anonymous=["anonymous"]',
		);
		assert.match(output, /\(submitted\)$/);
		await typeAs('alice', '/feedback');
		assert.match(
			await typeAs('alice', 'submit comment="again" anonymous=anonymous'),
			/\(submitted\)$/,
		);
	});

	it('names the choices of an option field and the form’s fields', async () => {
		await typeAs('bruno', '/feedback');
		const cases: Array<[string, RegExp]> = [
			['submit category=Nope', /category must be one of: General, Bug, Idea, Praise; got "Nope"/],
			['submit anonymous=["yes"]', /anonymous takes a list of options \(one of: anonymous\)/],
			[
				'submit mood=happy',
				/The open form has no field mood; fields: comment, category, rating, anonymous/,
			],
			['submit comment="unclosed', /Unclosed " quote/],
		];
		for (const [line, error] of cases) {
			assert.match(await typeAs('bruno', line), new RegExp(`^error: ${error.source}`), line);
		}
		assert.ok(host.openView('bruno'), 'the form is still open');
		assert.equal(await typeAs('bruno', 'close'), '(closed)');
		assert.equal(
			await typeAs('bruno', 'submit comment=x'),
			'error: bruno has no open form: type /feedback first',
		);
	});

	it('shows what the client dropped and its toasts', async () => {
		assert.equal(await typeAs('clara', 'toasts'), '(no toasts)');
		assert.equal(await typeAs('clara', 'refused'), '(nothing dropped)');
		await host.runSlashCommand('clara', 'general', '/feedback', { triggerId: 'forged' });
		assert.match(
			await typeAs('clara', 'refused'),
			/^\[dropped\] clara's client dropped modal\.open: this member's client never issued its triggerId$/,
		);
	});
});
