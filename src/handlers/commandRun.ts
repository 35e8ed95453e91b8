import type {
	ILogger,
	IModify,
	IPersistence,
	IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import type { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import type { LayoutBlock } from '@rocket.chat/ui-kit';

import type { IFeedbackSettings } from '../domain/settings';
import type { Translator } from '../i18n/translate';

/** What one run of the command works with. */
export interface ICommandRun {
	readonly context: SlashCommandContext;
	readonly read: IRead;
	readonly modify: IModify;
	readonly persistence: IPersistence;
	readonly settings: IFeedbackSettings;
	readonly isAdmin: boolean;
	readonly t: Translator;
	readonly logger: ILogger;
	reply(text: string, blocks?: Array<LayoutBlock>): Promise<void>;
}
