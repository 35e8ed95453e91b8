// Issue 23, through the packaged app: an admin creates a survey with /feedback survey new or the
// admin view's New survey; field errors stay in the form, a member who is no admin is refused, a
// submit sent twice creates one survey, and the admin view's Close closes it once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buttonClick, fixturePerTest, openAdminView, snapshot, viewLines } from './app-fixture';
import { SurveyFormField, surveyFormIdOfView } from '../../src/domain/surveyForm';
import { buildAssociations, RecordScope } from '../../src/persistence/associations';
import { storedSurveys, WITH_SURVEY_SECRET } from '../support/surveys';

const FILLED = {
	[SurveyFormField.Question]: 'How likely are you to recommend this team?',
	[SurveyFormField.Kind]: 'rating',
	[SurveyFormField.AudienceName]: 'general',
	[SurveyFormField.Rhythm]: 'weekly',
	[SurveyFormField.OpenDays]: '3',
};

describe('creating a survey (engine)', () => {
	const fixture = fixturePerTest('surveys-create', WITH_SURVEY_SECRET);

	it('/feedback survey new opens the form; its submit stores the survey and shows its first round', async () => {
		const { host } = fixture();
		const opened = await host.runSlashCommand('admin', 'general', '/feedback survey new');
		assert.ok(opened.view && surveyFormIdOfView(opened.view.viewId), 'the survey form opened');
		const submit = await host.submitView('admin', FILLED);
		assert.equal(submit.accepted, true, JSON.stringify(submit.errors));
		const [survey, ...others] = await storedSurveys(host.persistence, host.getAppId());
		assert.equal(others.length, 0);
		assert.equal(survey.kind, 'rating');
		assert.equal(survey.rhythm, 'weekly');
		assert.equal(survey.anonymous, true, 'anonymous unless changed');
		assert.equal(survey.withComment, true);
		const text = viewLines(host.openView('admin')).join('\n');
		assert.match(text, /Survey created: How likely/);
		assert.match(text, /First round: opens \d{4}-\d\d-\d\d \d\d:\d\d UTC, closes/);
	});

	it('keeps each error in the form, the role refusal saying why', async () => {
		const { host } = fixture();
		await host.runSlashCommand('admin', 'general', '/feedback survey new');
		const submit = await host.submitView('admin', {
			...FILLED,
			[SurveyFormField.Question]: ' ',
			[SurveyFormField.AudienceKind]: 'role',
			[SurveyFormField.AudienceName]: 'support',
			[SurveyFormField.OpenDays]: '9',
		});
		assert.equal(submit.accepted, false);
		assert.deepEqual(Object.keys(submit.errors).sort(), [
			SurveyFormField.AudienceKind,
			SurveyFormField.OpenDays,
			SurveyFormField.Question,
		]);
		assert.match(submit.errors[SurveyFormField.AudienceKind], /does not let apps list the members/);
		assert.match(submit.errors[SurveyFormField.OpenDays], /at most 6 days/);
		// The client keeps what was given before: the audience is set back to a room.
		const missingRoom = await host.submitView('admin', {
			...FILLED,
			[SurveyFormField.AudienceKind]: 'room',
			[SurveyFormField.AudienceName]: 'nowhere',
		});
		assert.match(missingRoom.errors[SurveyFormField.AudienceName], /no room named `nowhere`/);
		assert.deepEqual(await storedSurveys(host.persistence, host.getAppId()), []);
	});

	it('refuses a member who is no admin, naming the role', async () => {
		const { host } = fixture();
		const result = await host.runSlashCommand('alice', 'general', '/feedback survey new');
		assert.equal(result.view, undefined);
		assert.match(result.notifications[0]?.text ?? '', /Only workspace admins \(the admin role\)/);
	});

	it('a submit sent twice creates one survey', async () => {
		const { host } = fixture();
		const opened = await host.runSlashCommand('admin', 'general', '/feedback survey new');
		const form = snapshot(opened.view);
		const [first, second] = await Promise.all([
			host.submitViewAs('admin', form, FILLED),
			host.submitViewAs('admin', form, FILLED),
		]);
		assert.ok(first.accepted && second.accepted);
		assert.equal((await storedSurveys(host.persistence, host.getAppId())).length, 1);
	});

	it("the admin view's New survey opens the form; Surveys lists it and Close closes it once", async () => {
		const { host } = fixture();
		const admin = await openAdminView(host);
		const opened = await host.blockAction('admin', 'modal', buttonClick(admin, 'admin-survey-new'));
		assert.ok(opened.view && surveyFormIdOfView(opened.view.viewId), 'the survey form opened');
		assert.equal((await host.submitView('admin', FILLED)).accepted, true);
		const again = await openAdminView(host);
		const surveys = await host.blockAction('admin', 'modal', buttonClick(again, 'admin-surveys'));
		const list = snapshot(surveys.view);
		assert.match(
			viewLines(list).join('\n'),
			/Rating from 1 to 5 · members of #general · Every week · anonymous · open/,
		);
		const close = buttonClick(list, 'admin-survey-close');
		const closed = await host.blockActionOn('admin', list, close);
		assert.match(viewLines(closed.view).join('\n'), /is closed: no more invitations/);
		const repeated = await host.blockActionOn('admin', list, close);
		assert.match(viewLines(repeated.view).join('\n'), /is closed: no more invitations/);
		const events = await host.persistence.readByAssociations(
			buildAssociations({ scope: RecordScope.SurveyEvent }),
			host.getAppId(),
		);
		assert.equal(new Set(events.map((event) => (event as { id: string }).id)).size, 1);
		assert.match(viewLines(repeated.view).join('\n'), /· closed ·/);
	});
});

describe('creating an anonymous survey without the survey secret (engine)', () => {
	const fixture = fixturePerTest('surveys-create-no-secret');

	it('offers named first, says why, and refuses anonymous naming the variable to set', async () => {
		const { host } = fixture();
		const opened = await host.runSlashCommand('admin', 'general', '/feedback survey new');
		assert.ok(opened.view);
		// Named is offered first, and the anonymity field's hint says why.
		const anonymity = JSON.stringify(
			(opened.view.view.blocks as Array<{ blockId?: string }>).find(
				(block) => block.blockId === SurveyFormField.Anonymous,
			),
		);
		assert.match(anonymity, /"initialValue":"no"/);
		const text = JSON.stringify(opened.view);
		assert.match(
			text,
			/Anonymous surveys need the server's survey secret, RC_APPS_[0-9A-F_]+_SURVEY_SECRET/,
		);
		const refused = await host.submitView('admin', {
			...FILLED,
			[SurveyFormField.Anonymous]: 'yes',
		});
		assert.equal(refused.accepted, false);
		assert.deepEqual(Object.keys(refused.errors), [SurveyFormField.Anonymous]);
		assert.match(
			refused.errors[SurveyFormField.Anonymous],
			/needs the server's survey secret: ask whoever runs the server to set the environment variable RC_APPS_[0-9A-F_]+_SURVEY_SECRET/,
		);
		assert.deepEqual(await storedSurveys(host.persistence, host.getAppId()), []);
		const named = await host.submitView('admin', {
			...FILLED,
			[SurveyFormField.Anonymous]: 'no',
		});
		assert.equal(named.accepted, true, JSON.stringify(named.errors));
		const [survey] = await storedSurveys(host.persistence, host.getAppId());
		assert.equal(survey.anonymous, false, 'named');
	});
});
