import { Box, Throbber } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';

import TimelineMessage from './TimelineMessage';
import type { MessageActionSender } from './TimelineMessage';
import type { ITimelineDto, ITimelineEntryDto } from '../shared/protocol';

/** Rocket.Chat's default `Message_GroupingPeriod`: 300 seconds. */
export const GROUPING_PERIOD_SECONDS = 300;

function sameDay(a: Date, b: Date): boolean {
	return (
		a.getFullYear() === b.getFullYear() &&
		a.getMonth() === b.getMonth() &&
		a.getDate() === b.getDate()
	);
}

/**
 * Whether a message is drawn under the one before it, as Rocket.Chat's isMessageSequential
 * (apps/meteor/client/views/room/MessageList/lib/isMessageSequential.ts): a thread reply follows
 * its thread, a message after a thread reply starts anew, `groupable: false` never groups; then
 * the same sender, less than the grouping period apart, on the same day.
 */
export function isSequential(
	current: ITimelineEntryDto,
	previous: ITimelineEntryDto | undefined,
	groupingSeconds = GROUPING_PERIOD_SECONDS,
): boolean {
	if (!previous) {
		return false;
	}
	if (current.threadId) {
		return current.threadId === previous.threadId || current.threadId === previous.id;
	}
	if (previous.threadId || current.groupable === false) {
		return false;
	}
	if (current.sender.username !== previous.sender.username) {
		return false;
	}
	const now = new Date(current.createdAt);
	const before = new Date(previous.createdAt);
	return (now.getTime() - before.getTime()) / 1000 < groupingSeconds && sameDay(now, before);
}

/** How close to the end (px) still counts as reading the newest messages. */
const AT_END_PX = 32;

interface ITimelineProps {
	timeline: ITimelineDto | undefined;
	onAction: MessageActionSender;
}

/**
 * The room's messages, newest at the bottom. It stays at the end while the member reads the
 * newest messages: when messages arrive and when its own height changes (the composer grows
 * with an error or a longer draft), so nothing pushes the last message out of view.
 */
const Timeline = ({ timeline, onAction }: ITimelineProps): ReactElement => {
	const scroller = useRef<HTMLDivElement>(null);
	const atEnd = useRef(true);
	const count = timeline?.entries.length ?? 0;

	const toEnd = useCallback(() => {
		const element = scroller.current;
		if (element) {
			element.scrollTop = element.scrollHeight;
		}
	}, []);

	useLayoutEffect(() => {
		if (atEnd.current) {
			toEnd();
		}
	}, [count, toEnd]);

	// Another room opens at its newest message.
	useLayoutEffect(() => {
		atEnd.current = true;
		toEnd();
	}, [timeline?.room, toEnd]);

	useEffect(() => {
		const element = scroller.current;
		if (!element || typeof ResizeObserver === 'undefined') {
			return undefined;
		}
		const observer = new ResizeObserver(() => {
			if (atEnd.current) {
				toEnd();
			}
		});
		observer.observe(element);
		return () => observer.disconnect();
	}, [toEnd, timeline?.room]);

	const onScroll = useCallback(() => {
		const element = scroller.current;
		if (element) {
			atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight <= AT_END_PX;
		}
	}, []);

	if (!timeline) {
		return (
			<Box className='try-timeline try-timeline--loading'>
				<Throbber />
			</Box>
		);
	}
	return (
		<div
			ref={scroller}
			className='try-timeline'
			data-qa='timeline'
			data-room={timeline.room}
			onScroll={onScroll}
		>
			{timeline.entries.length === 0 && (
				<Box className='try-timeline-empty'>
					No messages yet. Say hello, or type <code className='try-code'>/feedback</code> to send
					feedback.
				</Box>
			)}
			{timeline.entries.map((entry, index) => (
				<TimelineMessage
					key={entry.id}
					entry={entry}
					sequential={isSequential(entry, timeline.entries[index - 1])}
					onAction={onAction}
				/>
			))}
		</div>
	);
};

export default Timeline;
