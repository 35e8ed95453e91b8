// The status form's rules (src/domain/statusForm.ts), and the table that hands each of the app's
// views to its handler (src/handlers/viewRoutes.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import { newId } from '../../src/domain/ids';
import { FeedbackStatus, MAX_NOTE_LENGTH } from '../../src/domain/status';
import type { IStatusChange } from '../../src/domain/status';
import {
	checkStatusForm,
	earlierStatusFormOf,
	noteOf,
	StatusField,
	statusFormFields,
	statusFormsInState,
	statusFormToSave,
} from '../../src/domain/statusForm';
import type { ISubmittedStatusForm } from '../../src/domain/statusForm';
import type { IViewRequest, IViewSubmitRequest } from '../../src/handlers/requestContext';
import { ViewRoutes } from '../../src/handlers/viewRoutes';

function formOf(given: { status?: unknown; note?: unknown } = {}): ISubmittedStatusForm {
	const feedbackId = newId();
	const formId = newId();
	const shown = FeedbackStatus.New;
	return {
		feedbackId,
		formId,
		shown,
		fields: statusFormFields(feedbackId, formId, shown),
		...given,
	};
}

function changeOf(form: ISubmittedStatusForm, at: string): IStatusChange {
	return {
		id: form.formId,
		feedbackId: form.feedbackId,
		feedbackCreatedAt: at,
		status: FeedbackStatus.Done,
		note: '',
		adminId: 'admin',
		at,
	};
}

describe('the status form', () => {
	it('reads a note trimmed, and one of only invisible characters as no note', () => {
		assert.equal(noteOf('  soon \n'), 'soon');
		assert.equal(noteOf('\u200b\u2060 \u00ad'), '');
		assert.equal(noteOf(42), '');
		assert.equal(noteOf(undefined), '');
	});

	it('checks the status first, then the note length, and names the field with its error', () => {
		assert.deepEqual(checkStatusForm({ status: 'finished', note: '' }), {
			field: StatusField.Status,
			error: { key: 'error_status_invalid' },
		});
		assert.deepEqual(checkStatusForm({ status: undefined, note: 'x'.repeat(1000) }), {
			field: StatusField.Status,
			error: { key: 'error_status_invalid' },
		});
		assert.deepEqual(checkStatusForm({ status: 'done', note: 'x'.repeat(MAX_NOTE_LENGTH + 1) }), {
			field: StatusField.Note,
			error: {
				key: 'error_note_too_long',
				params: { length: MAX_NOTE_LENGTH + 1, max: MAX_NOTE_LENGTH },
			},
		});
		assert.deepEqual(checkStatusForm({ status: 'done', note: 'x'.repeat(MAX_NOTE_LENGTH) }), {
			status: FeedbackStatus.Done,
			note: 'x'.repeat(MAX_NOTE_LENGTH),
		});
	});

	it('reads the fields of a form an earlier version opened, and nothing from a malformed state', () => {
		assert.deepEqual(
			earlierStatusFormOf({ status: { status: 'planned' }, note: { note: ' later ' } }),
			{ status: 'planned', note: 'later' },
		);
		assert.deepEqual(earlierStatusFormOf(undefined), { status: undefined, note: '' });
		assert.deepEqual(earlierStatusFormOf({ status: 'planned' }), { status: undefined, note: '' });
	});

	it('finds each form of a modal state by its fields, with what was given in it', () => {
		const form = formOf();
		const state = {
			[form.fields.statusBlockId]: { [form.fields.statusActionId]: 'done' },
			[form.fields.noteBlockId]: { [form.fields.noteActionId]: 'shipped' },
			'status-form:status:not-a-feedback': { x: 'done' },
		};
		assert.deepEqual(statusFormsInState(state), [{ ...form, status: 'done', note: 'shipped' }]);
	});

	it('saves the one form that asks for something and is not stored yet', () => {
		const asking = { form: formOf({ note: 'soon' }) };
		const idle = { form: formOf() };
		assert.deepEqual(statusFormToSave([idle, asking]), { kind: 'save', entry: asking });
		const changed = { form: formOf({ status: FeedbackStatus.Planned }) };
		assert.deepEqual(statusFormToSave([changed]), { kind: 'save', entry: changed });
	});

	it('saves none when two forms ask, and none when several are untouched', () => {
		const one = { form: formOf({ note: 'a' }) };
		const two = { form: formOf({ status: FeedbackStatus.Done }) };
		assert.deepEqual(statusFormToSave([one, two]), { kind: 'unclear' });
		assert.deepEqual(statusFormToSave([{ form: formOf() }, { form: formOf() }]), { kind: 'none' });
		assert.deepEqual(statusFormToSave([]), { kind: 'none' });
	});

	it('saves again the form saved last when none asks, and an only form left as shown as shown', () => {
		const older = formOf({ note: 'a' });
		const newer = formOf({ note: 'b' });
		const olderEntry = { form: older, saved: changeOf(older, '2026-01-01T00:00:01.000Z') };
		const newerEntry = { form: newer, saved: changeOf(newer, '2026-01-01T00:00:02.000Z') };
		assert.deepEqual(statusFormToSave([newerEntry, olderEntry]), {
			kind: 'again',
			entry: newerEntry,
			saved: newerEntry.saved,
		});
		const shown = { form: formOf({ status: FeedbackStatus.New, note: '\u200b' }) };
		assert.deepEqual(statusFormToSave([shown]), { kind: 'as-shown', entry: shown });
	});
});

describe('the view routes', () => {
	const answered: string[] = [];
	const answer = (what: string) => async (): Promise<IUIKitResponse> => {
		answered.push(what);
		return { success: true };
	};
	const routes = new ViewRoutes([
		{ ids: { startingWith: 'form:' }, submit: answer('form submit'), close: answer('form close') },
		{ ids: { exactly: 'admin' }, submit: answer('admin submit') },
	]);
	function requestFor(viewId: string): IViewSubmitRequest & IViewRequest {
		const responder = { successResponse: () => ({ success: true, nothing: true }) };
		return { view: { id: viewId }, responder } as unknown as IViewSubmitRequest;
	}

	it('hands a view to the route of its id: a prefix, or one id exactly', async () => {
		answered.length = 0;
		await routes.submit(requestFor('form:1'));
		await routes.close(requestFor('form:2'));
		await routes.submit(requestFor('admin'));
		assert.deepEqual(answered, ['form submit', 'form close', 'admin submit']);
	});

	it('answers a view of no kind it knows, or a close with nothing to do, with success alone', async () => {
		answered.length = 0;
		for (const response of [
			await routes.submit(requestFor('admin-forged')),
			await routes.submit(requestFor('feedback-list')),
			await routes.close(requestFor('admin')),
		]) {
			assert.deepEqual(response, { success: true, nothing: true });
		}
		assert.deepEqual(answered, []);
	});
});
