import * as http from 'node:http';

/** One server-sent event. */
export interface IServerEvent {
	name: string;
	data: unknown;
}

/** Reads GET /api/events as a member: the events arrive in order and can be awaited. */
export class EventStreamReader {
	private readonly events: IServerEvent[] = [];

	private readonly waiters = new Set<() => void>();

	private buffer = '';

	private constructor(private readonly request: http.ClientRequest) {}

	/** Opens the stream; resolves once the server answered 200. */
	public static open(url: string, username: string): Promise<EventStreamReader> {
		return new Promise((resolve, reject) => {
			const request = http.get(
				url,
				{ headers: { Cookie: `feedback_try_user=${username}` } },
				(response) => {
					if (response.statusCode !== 200) {
						reject(new Error(`GET ${url} answered ${response.statusCode ?? '?'}`));
						response.resume();
						return;
					}
					response.setEncoding('utf8');
					response.on('data', (chunk: string) => reader.receive(chunk));
					resolve(reader);
				},
			);
			const reader = new EventStreamReader(request);
			request.on('error', reject);
		});
	}

	/** Waits for the next event (from the start of the stream on) of that name that matches. */
	public async next(
		name: string,
		matches: (data: unknown) => boolean = () => true,
		timeoutMs = 10_000,
	): Promise<unknown> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const index = this.events.findIndex((event) => event.name === name && matches(event.data));
			if (index !== -1) {
				const [event] = this.events.splice(0, index + 1).slice(-1);
				return event.data;
			}
			const remaining = deadline - Date.now();
			if (remaining <= 0) {
				throw new Error(
					`no "${name}" event that matches within ${timeoutMs} ms; got ${this.events.map((event) => event.name).join(', ') || 'none'}`,
				);
			}
			await new Promise<void>((resolve) => {
				const timer = setTimeout(done, remaining);
				const { waiters } = this;
				function done(): void {
					clearTimeout(timer);
					waiters.delete(done);
					resolve();
				}
				waiters.add(done);
			});
		}
	}

	public close(): void {
		this.request.destroy();
	}

	private receive(chunk: string): void {
		this.buffer += chunk;
		let end = this.buffer.indexOf('\n\n');
		while (end !== -1) {
			const block = this.buffer.slice(0, end);
			this.buffer = this.buffer.slice(end + 2);
			let name = 'message';
			const data: string[] = [];
			for (const line of block.split('\n')) {
				if (line.startsWith('event: ')) {
					name = line.slice(7);
				} else if (line.startsWith('data: ')) {
					data.push(line.slice(6));
				}
			}
			if (data.length > 0) {
				this.events.push({ name, data: JSON.parse(data.join('\n')) });
			}
			end = this.buffer.indexOf('\n\n');
		}
		for (const waiter of [...this.waiters]) {
			waiter();
		}
	}
}
