import { Box, Throbber } from '@rocket.chat/fuselage';
import type { ReactElement } from 'react';
import { useEffect, useRef } from 'react';

import TimelineMessage from './TimelineMessage';
import type { ITimelineDto } from '../shared/protocol';

/** The room's messages, newest at the bottom, kept scrolled to the end as messages arrive. */
const Timeline = ({ timeline }: { timeline: ITimelineDto | undefined }): ReactElement => {
	const end = useRef<HTMLDivElement>(null);
	const count = timeline?.entries.length ?? 0;

	useEffect(() => {
		end.current?.scrollIntoView({ block: 'end' });
	}, [count]);

	if (!timeline) {
		return (
			<Box className='try-timeline try-timeline--loading'>
				<Throbber />
			</Box>
		);
	}
	return (
		<Box className='try-timeline' data-qa='timeline' data-room={timeline.room}>
			{timeline.entries.length === 0 && (
				<Box className='try-timeline-empty'>
					No messages yet. Say hello, or type <code className='try-code'>/feedback</code> to send
					feedback.
				</Box>
			)}
			{timeline.entries.map((entry) => (
				<TimelineMessage key={entry.id} entry={entry} />
			))}
			<div ref={end} />
		</Box>
	);
};

export default Timeline;
