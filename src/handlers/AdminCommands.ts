import type { AdminViewHandler } from './AdminViewHandler';
import type { FeedbackExporter } from './FeedbackExporter';
import type { ICommandRequest } from './requestContext';
import { FeedbackAction, FIRST_ADMIN_PAGE } from '../domain/actions';
import { foldProgressOf } from '../domain/days';
import { fileSizeText, parseExportRange } from '../domain/exportFile';
import { shortIdOf } from '../domain/record';
import { computeStats } from '../domain/stats';
import type { ShardedCounter } from '../persistence/ShardedCounter';
import { countedOnce } from '../persistence/countedOnce';
import { actions, button } from '../ui/blocks';
import { exportRefusalText, surveyExportText } from '../ui/exportText';
import { formatStats, preparingText, quoteName } from '../ui/messages';
import { formatTriageStats } from '../ui/triageText';

/** The admins' subcommands: stats, the admin view and the export. Each checks the role. */
export class AdminCommands {
	constructor(
		private readonly appId: string,
		private readonly messageCounter: ShardedCounter,
		private readonly admin: AdminViewHandler,
		private readonly exporter: FeedbackExporter,
		private readonly now: () => Date,
	) {}

	/** `/feedback stats`: the statistics, and a button to the admin view. */
	public async stats(request: ICommandRequest): Promise<void> {
		const { t } = request;
		if (!(await request.isAdmin())) {
			return request.reply(t('stats_refused'));
		}
		const { stores, persistence } = request;
		const now = this.now();
		const [counts, triage, messages] = await Promise.all([
			stores.totals.counts(persistence, now).then((raw) => countedOnce(stores, raw)),
			stores.statusTotals.refresh(persistence, now),
			this.messageCounter.total(request.read.getPersistenceReader()),
		]);
		const progress = foldProgressOf(counts.preparing, triage.preparing);
		if (progress) {
			return request.reply(preparingText(progress, t));
		}
		const triageLines = formatTriageStats(
			counts.tally.total,
			triage.byStatus,
			triage.responseBuckets,
			t,
		);
		const open = button(this.appId, FeedbackAction.AdminOpen, t('button_open_admin'), '');
		await request.reply(formatStats(computeStats(counts, messages), t, triageLines), [
			actions('stats-actions', [open], this.appId),
		]);
	}

	/** `/feedback admin`: the admin view, a modal (opened within its time budget). */
	public async openAdmin(request: ICommandRequest): Promise<void> {
		const { t } = request;
		if (!(await request.isAdmin())) {
			return request.reply(t('admin_refused'));
		}
		const { triggerId, user } = request;
		if (!triggerId) {
			return request.reply(t('admin_open_no_trigger'));
		}
		const view = await this.admin.view(request, FIRST_ADMIN_PAGE);
		await request.modify.getUiController().openSurfaceView(view, { triggerId }, user);
	}

	/** `/feedback export [from] [to] [in #room]`: CSV files in the admin's direct room with the app, or in the room. */
	public async export(
		request: ICommandRequest,
		from?: string,
		to?: string,
		room?: string,
	): Promise<void> {
		const { t } = request;
		if (!(await request.isAdmin())) {
			return request.reply(t('export_refused'));
		}
		const range = parseExportRange(from, to);
		if ('error' in range) {
			return request.reply(
				range.error === 'export_date_invalid'
					? t('export_date_invalid', { text: quoteName(range.text) })
					: t('export_range_reversed'),
			);
		}
		try {
			const result = await this.exporter.export(request, range, this.now(), room);
			const counts = {
				count: result.entries,
				parts: result.parts,
				size: fileSizeText(result.partLimit),
				room: quoteName(`#${room ?? ''}`),
			};
			if (result.refusal) {
				await request.reply(exportRefusalText(result.refusal, result.parts, room, t));
			} else if (result.stoppedAt === undefined) {
				const done = t(room ? 'export_done_room' : 'export_done', counts);
				const surveys = result.surveys ? surveyExportText(result.surveys, counts.size, t) : '';
				await request.reply(surveys === '' ? done : `${done}\n${surveys}`);
			} else {
				await request.reply(t('export_stopped', { ...counts, id: shortIdOf(result.stoppedAt) }));
			}
		} catch (error) {
			request.logger.error('exporting feedback failed', error);
			await request.reply(t('export_failed'));
		}
	}
}
