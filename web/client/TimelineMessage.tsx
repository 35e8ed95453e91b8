import {
	Box,
	Icon,
	Message,
	MessageBody,
	MessageContainer,
	MessageHeader,
	MessageLeftContainer,
	MessageName,
	MessageNameContainer,
	MessageRole,
	MessageRoles,
	MessageTimestamp,
	MessageUsername,
} from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';
import { memo } from 'react';

import MessageBlocksView from './MessageBlocks';
import type { MessageActionSender } from './MessageBlocks';
import MessageText from './MessageText';
import UserAvatar from './UserAvatar';
import type { ITimelineEntryDto } from '../shared/protocol';

export type { MessageActionSender } from './MessageBlocks';

function time(iso: string): string {
	return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

interface ITimelineMessageProps {
	entry: ITimelineEntryDto;
	/** Follows a message of the same sender: Rocket.Chat groups it under the first (no header). */
	sequential: boolean;
	onAction: MessageActionSender;
}

/** One message as Rocket.Chat's room shows it; an ephemeral one says only this member sees it. */
const TimelineMessage = ({ entry, sequential, onAction }: ITimelineMessageProps): ReactElement => (
	<Message
		sequential={sequential}
		data-qa='timeline-message'
		data-kind={entry.kind}
		data-sender={entry.sender.username}
		data-sequential={sequential}
		data-message-id={entry.id}
	>
		<MessageLeftContainer>
			{sequential ? (
				<span className='try-sequential-time' title={new Date(entry.createdAt).toLocaleString()}>
					{time(entry.createdAt)}
				</span>
			) : (
				<UserAvatar
					username={entry.sender.username}
					name={entry.sender.name}
					isApp={entry.sender.isApp}
				/>
			)}
		</MessageLeftContainer>
		<MessageContainer>
			{!sequential && (
				<MessageHeader>
					<MessageNameContainer>
						<MessageName>{entry.sender.name}</MessageName>{' '}
						<MessageUsername>@{entry.sender.username}</MessageUsername>
					</MessageNameContainer>
					{entry.sender.isApp && (
						<MessageRoles>
							<MessageRole>App</MessageRole>
						</MessageRoles>
					)}
					<MessageTimestamp title={new Date(entry.createdAt).toLocaleString()}>
						{time(entry.createdAt)}
					</MessageTimestamp>
				</MessageHeader>
			)}
			<MessageBody>
				<MessageText text={entry.text} />
				{entry.files?.map((file) => (
					<a key={file.url} className='try-file' href={file.url} download={file.name}>
						{file.name} ({file.size.toLocaleString()} bytes)
					</a>
				))}
			</MessageBody>
			{entry.blocks && entry.blocks.length > 0 && (
				<MessageBlocksView entry={entry} onAction={onAction} />
			)}
			{entry.kind === 'ephemeral' && (
				<Box className='try-ephemeral' data-qa='ephemeral-note'>
					<Icon name='eye-off' size='x16' />
					<span>Only you can see this message</span>
				</Box>
			)}
		</MessageContainer>
	</Message>
);

export default memo(TimelineMessage);
