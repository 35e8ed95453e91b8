// `npm start` hands the app the variables of its own process that a server would let it read
// (`RC_APPS_…`), so a survey secret set in the shell reaches the app on the page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { appVariablesOf } from '../../web/server';

describe("the page's server environment", () => {
	it("passes on the process's RC_APPS_ variables only", () => {
		assert.deepEqual(
			appVariablesOf({
				RC_APPS_ABC_SURVEY_SECRET: 'secret of more than thirty-two characters',
				rc_apps_abc_other: 'lower case too',
				HOME: '/root',
				PATH: '/usr/bin',
				RC_APPS_UNSET: undefined,
			}),
			{
				RC_APPS_ABC_SURVEY_SECRET: 'secret of more than thirty-two characters',
				rc_apps_abc_other: 'lower case too',
			},
		);
	});
});
