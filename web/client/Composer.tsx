import { Box, Icon, IconButton } from '@rocket.chat/fuselage';
import type { FormEvent, KeyboardEvent, ReactElement } from 'react';
import { useEffect, useState } from 'react';

interface IComposerProps {
	room: string;
	/** What the placeholder names: `#general`, or `@Alice Doe` in a direct room. */
	roomLabel: string;
	/** Sends the text (a message, or a slash command when it starts with `/`); rejects with the server's reason. */
	onSend: (text: string) => Promise<void>;
}

/**
 * The message box under the timeline: Enter sends, Shift+Enter starts a new line. A refusal
 * shows above it until the member clears the box (the page mounts a new composer for another
 * member, so a switch clears it too); the timeline keeps its last message in view meanwhile.
 */
const Composer = ({ room, roomLabel, onSend }: IComposerProps): ReactElement => {
	const [text, setText] = useState('');
	const [error, setError] = useState<string>();
	const [sending, setSending] = useState(false);

	// A refusal belongs to the room it happened in.
	useEffect(() => setError(undefined), [room]);

	const send = async (event?: FormEvent) => {
		event?.preventDefault();
		const value = text.trim();
		if (value === '' || sending) {
			return;
		}
		setSending(true);
		setError(undefined);
		try {
			await onSend(value);
			setText('');
		} catch (failure) {
			setError(failure instanceof Error ? failure.message : String(failure));
		} finally {
			setSending(false);
		}
	};

	const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
		if (event.key === 'Enter' && !event.shiftKey) {
			void send(event);
		}
	};

	return (
		<Box is='form' className='try-composer' onSubmit={(event: FormEvent) => void send(event)}>
			{error && (
				<Box className='try-composer-error' data-qa='composer-error' role='alert'>
					<Icon name='warning' size='x16' /> {error}
				</Box>
			)}
			<Box className='try-composer-box'>
				<textarea
					className='try-composer-input'
					data-qa='composer-input'
					aria-label={`Message ${roomLabel}`}
					placeholder={`Message ${roomLabel}  (try /feedback)`}
					rows={1}
					value={text}
					readOnly={sending}
					onChange={(event) => {
						const { value } = event.currentTarget;
						setText(value);
						if (value.trim() === '') {
							setError(undefined);
						}
					}}
					onKeyDown={onKeyDown}
				/>
				<IconButton
					icon='send'
					small
					primary={text.trim() !== ''}
					disabled={sending || text.trim() === ''}
					title='Send'
					data-qa='composer-send'
					onClick={() => void send()}
				/>
			</Box>
		</Box>
	);
};

export default Composer;
