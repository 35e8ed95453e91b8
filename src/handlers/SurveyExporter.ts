import type { IUserRead } from '@rocket.chat/apps-engine/definition/accessors';

import { CsvParts } from '../domain/csv';
import type { IExportRange } from '../domain/exportFile';
import { recentRounds } from '../domain/rounds';
import type { ISurvey } from '../domain/survey';
import {
	exportedAnswerOrder,
	isRoundExported,
	isRoundInRange,
	surveyExportHeader,
	surveyExportRow,
} from '../domain/surveyReport';
import type { ISurveyExportResult } from '../domain/surveyReport';
import { roundOutcome } from '../domain/surveyResults';
import type { IFeedbackStores } from '../persistence/stores';
import { roundFacts } from '../persistence/surveyOutcomes';
import type { ISurveyOutcomeStores } from '../persistence/surveyOutcomes';

/** Uploads one export file under its name. */
export type UploadFile = (filename: string, content: string) => Promise<void>;

/** A survey's id as a file name may hold it: letters, digits and dashes only. */
function fileSafe(id: string): string {
	return id.replace(/[^A-Za-z0-9-]/g, '_');
}

/** The name of one part of a survey's export file. */
export function surveyFileName(surveyId: string, stamp: string, part: number): string {
	return `survey-${fileSafe(surveyId)}-export-${stamp}-part-${part}.csv`;
}

/**
 * The surveys' files of `/feedback export`: one CSV per survey (in parts when it outgrows the
 * file size, like the feedback's), a row per counted answer of each round opened in the range,
 * rounds in order, an anonymous survey's answers by value and comment (exportedAnswerOrder), never
 * by key or arrival. An anonymous survey's withheld rounds are left out and its member column is
 * empty (surveyReport.ts isRoundExported); a named survey's rows name the member's username.
 */
export class SurveyExporter {
	// Not named `usernames`: the Deno runtime awaits every `.usernames` access (IRoom's deprecated
	// getter, apps-engine deno-runtime/lib/ast/operations.ts fixRoomUsernamesCalls), which would
	// make this constructor async.
	private readonly memberNames = new Map<string, string>();

	constructor(
		private readonly stores: IFeedbackStores & ISurveyOutcomeStores,
		private readonly users: IUserRead,
	) {}

	/** Exports every survey, oldest first; stops at an answer too large for any file. */
	public async export(
		range: IExportRange,
		now: Date,
		limit: number,
		stamp: string,
		upload: UploadFile,
	): Promise<ISurveyExportResult> {
		const states = await this.stores.surveys.all();
		let answers = 0;
		let files = 0;
		for (const [index, { survey }] of states.entries()) {
			const parts = new CsvParts(surveyExportHeader(), limit, (content, part) =>
				upload(surveyFileName(survey.id, stamp, part), content),
			);
			const written = await this.writeRows(survey, range, now, parts);
			answers += written.rows;
			files += await parts.finish();
			if (written.stopped) {
				return { surveys: index, answers, files, stoppedAt: survey.id };
			}
		}
		return { surveys: states.length, answers, files };
	}

	/** Adds a survey's rows, round by round; `stopped` when a row fits in no file. */
	private async writeRows(
		survey: ISurvey,
		range: IExportRange,
		now: Date,
		parts: CsvParts,
	): Promise<{ readonly rows: number; readonly stopped: boolean }> {
		const rounds = recentRounds(survey, now, Number.POSITIVE_INFINITY)
			.reverse()
			.filter((round) => isRoundInRange(round, range));
		let rows = 0;
		for (const round of rounds) {
			const facts = await roundFacts(this.stores, survey, round);
			const outcome = roundOutcome(survey, round, facts.answers, facts.invited, now);
			if (!isRoundExported(survey, outcome)) {
				continue;
			}
			for (const answer of exportedAnswerOrder(survey, facts.answers)) {
				const username = await this.usernameOf(survey, answer.memberId);
				if (!(await parts.add(surveyExportRow(survey, round, answer, username)))) {
					return { rows, stopped: true };
				}
				rows += 1;
			}
		}
		return { rows, stopped: false };
	}

	/** A named answer's member as a username (their id when the account is gone); none when anonymous. */
	private async usernameOf(survey: ISurvey, memberId: string | null): Promise<string | undefined> {
		if (survey.anonymous || memberId === null) {
			return undefined;
		}
		const known = this.memberNames.get(memberId);
		if (known !== undefined) {
			return known;
		}
		const user = await this.users.getById(memberId);
		const username = user?.username ?? memberId;
		this.memberNames.set(memberId, username);
		return username;
	}
}
