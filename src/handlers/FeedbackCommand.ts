import type {
	IHttp,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type {
	ISlashCommand,
	SlashCommandContext,
} from '@rocket.chat/apps-engine/definition/slashcommands';
import type { LayoutBlock } from '@rocket.chat/ui-kit';

import type { AdminCommands } from './AdminCommands';
import type { MemberListHandler } from './MemberListHandler';
import { RecurringJobsKeeper } from './RecurringJobs';
import type { ICommandRun } from './commandRun';
import { languageForMember } from './language';
import type { ILoggerSource } from './logging';
import { replyPrivately } from './reply';
import { parseFeedbackCommand } from '../domain/command';
import { newId, pendingFormKey } from '../domain/ids';
import { PAGE_SIZE, paginate } from '../domain/paging';
import { isFeedbackIdInput, shortIdOf } from '../domain/record';
import { isFeedbackAdmin } from '../domain/settings';
import { translatorFor } from '../i18n/translate';
import { pageOfEveryone } from '../persistence/everyonesFeedback';
import { storesFor } from '../persistence/stores';
import { readSettings } from '../settings/settings';
import { buildFeedbackModal } from '../ui/FeedbackModal';
import { formatFeedbackPage, formatHelp, quoteName } from '../ui/messages';

/** `/feedback` and its subcommands. */
export class FeedbackCommand implements ISlashCommand {
	public readonly command = 'feedback';

	public readonly i18nParamsExample = 'command_params';

	public readonly i18nDescription = 'command_description';

	public readonly providesPreview = false;

	/**
	 * `app` must stay an own property holding the App: the Deno runtime finds it there and hands
	 * this command, for each run, the App with that run's logger (lib/wrapAppForRequest.ts).
	 */
	constructor(
		private readonly appId: string,
		private readonly app: ILoggerSource,
		private readonly views: { memberList: MemberListHandler },
		private readonly adminCommands: AdminCommands,
		private readonly now: () => Date = () => new Date(),
		private readonly recurringJobs = new RecurringJobsKeeper(now),
	) {}

	/** Routes the command; every failure ends in a message to the member, never silence. */
	public async executor(
		context: SlashCommandContext,
		read: IRead,
		modify: IModify,
		_http: IHttp,
		persistence: IPersistence,
	): Promise<void> {
		const user = context.getSender();
		const logger = this.app.getLogger();
		const t = translatorFor(await languageForMember(read, user, logger));
		const reply = (text: string, blocks?: Array<LayoutBlock>) =>
			replyPrivately(read, modify, user, context.getRoom(), text, context.getThreadId(), blocks);
		try {
			const settings = await readSettings(read);
			const run: ICommandRun = {
				context,
				read,
				modify,
				persistence,
				settings,
				isAdmin: isFeedbackAdmin(user.roles, settings),
				t,
				logger,
				reply,
			};
			// A command is one of the moments jobs deleted by a purge are noticed (at most once a minute).
			await Promise.all([this.route(run), this.recurringJobs.check(read, modify, logger)]);
		} catch (error) {
			logger.error('feedback command failed', error);
			await reply(t('error_read_failed'));
		}
	}

	private async route(run: ICommandRun): Promise<void> {
		const command = parseFeedbackCommand(run.context.getArguments());
		switch (command.kind) {
			case 'open':
				return this.openForm(run);
			case 'help':
				return run.reply(formatHelp(run.t, run.isAdmin));
			case 'unknown':
				return run.reply(formatHelp(run.t, run.isAdmin, command.word));
			case 'invalid-page':
				return run.reply(run.t('error_page_invalid'));
			case 'list':
				return this.list(run, command.scope, command.page);
			case 'stats':
				return this.adminCommands.stats(run);
			case 'admin':
				return this.adminCommands.openAdmin(run);
			case 'export':
				return this.adminCommands.export(run, command.from, command.to, command.room);
			case 'delete':
				return this.delete(run, command.id);
			case 'delete-several':
				return run.reply(run.t('delete_one_at_a_time'));
		}
	}

	private async openForm(run: ICommandRun): Promise<void> {
		const { context, modify, persistence, settings, t } = run;
		const user = context.getSender();
		// The client shows a view only for a trigger id it issued itself (ActionManager): a command
		// run without one (REST commands.run) would open a form nobody sees and leave it pending.
		const triggerId = context.getTriggerId();
		if (!triggerId) {
			return run.reply(t('error_open_no_trigger'));
		}
		// Random, carried by the form only (domain/form.ts): what is stored under the member is a
		// one-way hash of it, and the feedback id is another one (domain/ids.ts), so nothing of the
		// member leads to the id an anonymous feedback of this form gets.
		const formId = newId();
		const formKey = pendingFormKey(formId);
		const { pendingViews } = storesFor(run.read.getPersistenceReader(), run.logger);
		try {
			await pendingViews.save(persistence, user.id, {
				formKey,
				roomId: context.getRoom().id,
				threadId: context.getThreadId() ?? null,
				openedAt: this.now().toISOString(),
			});
		} catch (error) {
			run.logger.error('remembering the feedback form failed', error);
			return run.reply(t('error_open_failed'));
		}
		try {
			const view = buildFeedbackModal({
				appId: this.appId,
				formId,
				viewToken: newId(),
				t,
				...settings,
			});
			await modify.getUiController().openSurfaceView(view, { triggerId }, user);
		} catch (error) {
			// The form never opened, so its pending record must not outlive this call.
			run.logger.error('opening the feedback form failed', error);
			await pendingViews.remove(persistence, user.id, formKey);
			await run.reply(t('error_open_failed'));
		}
	}

	private async list(run: ICommandRun, scope: 'own' | 'all', page: number): Promise<void> {
		if (scope === 'all' && !run.isAdmin) {
			return run.reply(run.t('list_all_refused'));
		}
		const triggerId = run.context.getTriggerId();
		if (scope === 'own' && triggerId) {
			// A modal the member pages and deletes in; without a trigger id, the list as text.
			const user = run.context.getSender();
			const view = await this.views.memberList.view(run.read, user, page, run.t, run.logger);
			return run.modify.getUiController().openSurfaceView(view, { triggerId }, user);
		}
		const stores = storesFor(run.read.getPersistenceReader(), run.logger);
		const shown =
			scope === 'own'
				? paginate(await stores.feedback.listForUser(run.context.getSender().id), page)
				: await pageOfEveryone(stores, run.persistence, page, PAGE_SIZE, this.now());
		await run.reply(formatFeedbackPage(shown, scope, run.t));
	}

	private async delete(run: ICommandRun, typedId: string | undefined): Promise<void> {
		const { t } = run;
		if (typedId === undefined) {
			return run.reply(t('delete_missing_id'));
		}
		if (!isFeedbackIdInput(typedId)) {
			return run.reply(t('delete_invalid_id', { id: quoteName(typedId) }));
		}
		// Admins may delete anyone's entry; members only find their own through their USER association.
		const ownerId = run.isAdmin ? undefined : run.context.getSender().id;
		const store = storesFor(run.read.getPersistenceReader(), run.logger).feedback;
		const matches = await store.findByTypedId(typedId, ownerId);
		if (matches.length === 0) {
			return run.reply(
				t(run.isAdmin ? 'delete_not_found_admin' : 'delete_not_found', { id: typedId }),
			);
		}
		if (matches.length > 1) {
			return run.reply(
				t('delete_ambiguous', {
					id: typedId,
					candidates: matches.map((record) => record.id).join(', '),
				}),
			);
		}
		const [record] = matches;
		try {
			await store.remove(run.persistence, record, ownerId);
		} catch (error) {
			run.logger.error('deleting feedback failed', error);
			return run.reply(t('delete_failed', { id: shortIdOf(record.id) }));
		}
		await run.reply(t('delete_done', { id: shortIdOf(record.id) }));
	}
}
