import type { AdminViewHandler } from './AdminViewHandler';
import type { ExportHandler } from './ExportHandler';
import type { ICommandRun } from './commandRun';
import { FeedbackAction, FIRST_ADMIN_PAGE } from '../domain/actions';
import { foldProgressOf } from '../domain/days';
import { fileSizeText, parseExportRange } from '../domain/exportFile';
import { shortIdOf } from '../domain/record';
import { computeStats } from '../domain/stats';
import type { ShardedCounter } from '../persistence/ShardedCounter';
import { storesFor } from '../persistence/stores';
import { actions, button } from '../ui/blocks';
import { exportRefusalText } from '../ui/exportText';
import { formatStats, preparingText, quoteName } from '../ui/messages';
import { formatTriageStats } from '../ui/triageText';

/** The admins' subcommands: stats, the admin view and the export. Each checks the role. */
export class AdminCommands {
	constructor(
		private readonly appId: string,
		private readonly messageCounter: ShardedCounter,
		private readonly admin: AdminViewHandler,
		private readonly exporter: ExportHandler,
		private readonly now: () => Date,
	) {}

	/** `/feedback stats`: the statistics, and a button to the admin view. */
	public async stats(run: ICommandRun): Promise<void> {
		if (!run.isAdmin) {
			return run.reply(run.t('stats_refused'));
		}
		const reader = run.read.getPersistenceReader();
		const stores = storesFor(reader, run.logger);
		const now = this.now();
		const [counts, triage, messages] = await Promise.all([
			stores.totals.counts(run.persistence, now),
			stores.statusTotals.refresh(run.persistence, now),
			this.messageCounter.total(reader),
		]);
		const progress = foldProgressOf(counts.preparing, triage.preparing);
		if (progress) {
			return run.reply(preparingText(progress, run.t));
		}
		const triageLines = formatTriageStats(
			counts.tally.total,
			triage.byStatus,
			triage.responseBuckets,
			run.t,
		);
		const open = button(this.appId, FeedbackAction.AdminOpen, run.t('button_open_admin'), '');
		await run.reply(formatStats(computeStats(counts, messages), run.t, triageLines), [
			actions('stats-actions', [open], this.appId),
		]);
	}

	/** `/feedback admin`: the admin view, a modal (opened within its time budget). */
	public async openAdmin(run: ICommandRun): Promise<void> {
		if (!run.isAdmin) {
			return run.reply(run.t('admin_refused'));
		}
		const triggerId = run.context.getTriggerId();
		if (!triggerId) {
			return run.reply(run.t('admin_open_no_trigger'));
		}
		const user = run.context.getSender();
		const view = await this.admin.view(
			run.read,
			run.persistence,
			FIRST_ADMIN_PAGE,
			run.t,
			run.logger,
		);
		await run.modify.getUiController().openSurfaceView(view, { triggerId }, user);
	}

	/** `/feedback export [from] [to] [in #room]`: CSV files in the admin's direct room with the app, or in the room. */
	public async export(run: ICommandRun, from?: string, to?: string, room?: string): Promise<void> {
		const { t } = run;
		if (!run.isAdmin) {
			return run.reply(t('export_refused'));
		}
		const range = parseExportRange(from, to);
		if ('error' in range) {
			return run.reply(
				range.error === 'export_date_invalid'
					? t('export_date_invalid', { text: quoteName(range.text) })
					: t('export_range_reversed'),
			);
		}
		try {
			const result = await this.exporter.export(
				run.read,
				run.modify,
				run.context.getSender(),
				range,
				this.now(),
				run.logger,
				room,
			);
			const counts = {
				count: result.entries,
				parts: result.parts,
				size: fileSizeText(result.partLimit),
				room: quoteName(`#${room ?? ''}`),
			};
			if (result.refusal) {
				await run.reply(exportRefusalText(result.refusal, result.parts, room, t));
			} else if (result.stoppedAt === undefined) {
				await run.reply(t(room ? 'export_done_room' : 'export_done', counts));
			} else {
				await run.reply(t('export_stopped', { ...counts, id: shortIdOf(result.stoppedAt) }));
			}
		} catch (error) {
			run.logger.error('exporting feedback failed', error);
			await run.reply(t('export_failed'));
		}
	}
}
