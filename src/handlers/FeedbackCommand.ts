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

import type { AdminCommands } from './AdminCommands';
import { FollowHandler } from './FollowHandler';
import { statusesOf } from './MemberListHandler';
import type { MemberListHandler } from './MemberListHandler';
import { RecurringJobsKeeper } from './RecurringJobs';
import type { SurveyAdminHandler } from './SurveyAdminHandler';
import type { SurveyFormHandler } from './SurveyFormHandler';
import type { ILoggerSource } from './logging';
import { commandRequest } from './requestContext';
import type { ICommandRequest } from './requestContext';
import { feedbackByTypedId } from './typedFeedbackId';
import { parseFeedbackCommand } from '../domain/command';
import type { ParsedCommand } from '../domain/command';
import { newId, pendingFormKey } from '../domain/ids';
import { PAGE_SIZE, paginate } from '../domain/paging';
import { shortIdOf } from '../domain/record';
import { pageOfEveryone } from '../persistence/everyonesFeedback';
import { buildFeedbackModal } from '../ui/FeedbackModal';
import { formatFeedbackPage, formatHelp } from '../ui/messages';
import { mergedIntoText, statusText } from '../ui/triageText';

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
		private readonly following = new FollowHandler(now),
		private readonly surveys?: { forms: SurveyFormHandler; admin: SurveyAdminHandler },
	) {}

	/** Routes the command; every failure ends in a message to the member, never silence. */
	public async executor(
		context: SlashCommandContext,
		read: IRead,
		modify: IModify,
		_http: IHttp,
		persistence: IPersistence,
	): Promise<void> {
		const request = await commandRequest(context, read, modify, persistence, this.app.getLogger());
		const { t } = request;
		try {
			// A command is one of the moments jobs deleted by a purge are noticed (at most once a minute).
			await Promise.all([this.route(request), this.recurringJobs.check(request)]);
		} catch (error) {
			request.logger.error('feedback command failed', error);
			await request.reply(t('error_read_failed'));
		}
	}

	private async route(request: ICommandRequest): Promise<void> {
		const command = parseFeedbackCommand(request.args);
		const { reply, t } = request;
		switch (command.kind) {
			case 'open':
				return this.openForm(request);
			case 'help':
				return reply(formatHelp(t, await request.isAdmin()));
			case 'unknown':
				return reply(formatHelp(t, await request.isAdmin(), command.word));
			case 'invalid-page':
				return reply(t('error_page_invalid'));
			case 'list':
				return this.list(request, command.scope, command.page);
			case 'stats':
				return this.adminCommands.stats(request);
			case 'admin':
				return this.adminCommands.openAdmin(request);
			case 'export':
				return this.adminCommands.export(request, command.from, command.to, command.room);
			case 'delete':
				return this.delete(request, command.id);
			case 'delete-several':
				return reply(t('delete_one_at_a_time'));
			case 'follow':
				return this.following.follow(request, command.id, command.following);
			case 'survey':
				return this.survey(request, command);
			case 'notices':
				return command.on === undefined
					? reply(t('notices_usage'))
					: this.following.notices(request, command.on);
		}
	}

	/** `/feedback survey …`: the survey form, or a survey closed or reopened (admins only). */
	private async survey(
		request: ICommandRequest,
		command: Extract<ParsedCommand, { kind: 'survey' }>,
	): Promise<void> {
		const { t } = request;
		if (!this.surveys || !(await request.isAdmin())) {
			return request.reply(t('survey_refused'));
		}
		switch (command.action) {
			case 'new':
				return this.surveys.forms.openFromCommand(request);
			case 'close':
			case 'reopen':
				return this.surveys.admin.toggleFromCommand(
					request,
					command.id,
					command.action === 'close',
				);
			case 'usage':
				return request.reply(t('survey_usage'));
		}
	}

	private async openForm(request: ICommandRequest): Promise<void> {
		const { user, modify, persistence, logger, triggerId, t } = request;
		const settings = await request.settings();
		// The client shows a view only for a trigger id it issued itself (ActionManager): a command
		// run without one (REST commands.run) would open a form nobody sees and leave it pending.
		if (!triggerId) {
			return request.reply(t('error_open_no_trigger'));
		}
		// Random, carried by the form only (domain/form.ts): what is stored under the member is a
		// one-way hash of it, and the feedback id is another one (domain/ids.ts), so nothing of the
		// member leads to the id an anonymous feedback of this form gets.
		const formId = newId();
		const formKey = pendingFormKey(formId);
		const { pendingViews } = request.stores;
		try {
			await pendingViews.save(persistence, user.id, {
				formKey,
				roomId: request.room.id,
				threadId: request.threadId ?? null,
				openedAt: this.now().toISOString(),
			});
		} catch (error) {
			logger.error('remembering the feedback form failed', error);
			return request.reply(t('error_open_failed'));
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
			logger.error('opening the feedback form failed', error);
			await pendingViews.remove(persistence, user.id, formKey);
			await request.reply(t('error_open_failed'));
		}
	}

	private async list(request: ICommandRequest, scope: 'own' | 'all', page: number): Promise<void> {
		const { t } = request;
		if (scope === 'all' && !(await request.isAdmin())) {
			return request.reply(t('list_all_refused'));
		}
		const { triggerId, user, stores } = request;
		if (scope === 'own' && triggerId) {
			// A modal the member pages and deletes in; without a trigger id, the list as text.
			const view = await this.views.memberList.view(request, page);
			return request.modify.getUiController().openSurfaceView(view, { triggerId }, user);
		}
		if (scope === 'all') {
			const everyone = await pageOfEveryone(
				stores,
				request.persistence,
				page,
				PAGE_SIZE,
				this.now(),
			);
			return request.reply(formatFeedbackPage(everyone, scope, t));
		}
		const own = paginate(await stores.feedback.listForUser(user.id), page);
		const statuses = await statusesOf(request, own.items);
		const shown = new Map(
			[...statuses].map(([id, { status, note }]) => {
				const mergedInto = mergedIntoText(status, note, t);
				const label = statusText(status, t);
				return [id, { label, note, ...(mergedInto === undefined ? {} : { mergedInto }) }];
			}),
		);
		await request.reply(formatFeedbackPage(own, scope, t, shown));
	}

	private async delete(request: ICommandRequest, typedId: string | undefined): Promise<void> {
		const { t } = request;
		if (typedId === undefined) {
			return request.reply(t('delete_missing_id'));
		}
		// Admins may delete anyone's entry; members only find their own through their USER association.
		const isAdmin = await request.isAdmin();
		const ownerId = isAdmin ? undefined : request.user.id;
		const record = await feedbackByTypedId(request, typedId, {
			...(ownerId === undefined ? {} : { ownerId }),
			notFound: isAdmin ? 'delete_not_found_admin' : 'delete_not_found',
		});
		if (!record) {
			return undefined;
		}
		try {
			await request.stores.feedback.remove(request.persistence, record, this.now(), ownerId);
		} catch (error) {
			request.logger.error('deleting feedback failed', error);
			return request.reply(t('delete_failed', { id: shortIdOf(record.id) }));
		}
		await request.reply(t('delete_done', { id: shortIdOf(record.id) }));
	}
}
