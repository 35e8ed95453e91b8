import type { ServerResponse } from 'http';

import type { ServerEventName } from '../shared/protocol';

/** What one page listens to: its member and room decide what it is sent. */
export interface IEventSubscriber {
	readonly username: string;
	readonly room: string;
	readonly isAdmin: boolean;
}

/** Builds the payload of an event for one subscriber, or undefined to send none. */
export type EventSnapshot = (subscriber: IEventSubscriber) => unknown;

interface IConnection extends IEventSubscriber {
	readonly res: ServerResponse;
	/** The last payload sent per event, to send only what changed. */
	readonly sent: Map<ServerEventName, string>;
}

const HEARTBEAT_MS = 20_000;

/** Server-sent events: every open page gets the changes that concern its member and room. */
export class EventHub {
	private readonly connections = new Set<IConnection>();

	private readonly heartbeat: NodeJS.Timeout;

	constructor() {
		this.heartbeat = setInterval(() => {
			for (const connection of this.connections) {
				connection.res.write(': keep-alive\n\n');
			}
		}, HEARTBEAT_MS);
		this.heartbeat.unref();
	}

	/** Opens an event stream and sends the current snapshots at once. */
	public open(
		res: ServerResponse,
		subscriber: IEventSubscriber,
		snapshots: ReadonlyMap<ServerEventName, EventSnapshot>,
	): void {
		res.writeHead(200, {
			'Content-Type': 'text/event-stream; charset=utf-8',
			'Cache-Control': 'no-store',
			'Connection': 'keep-alive',
			'X-Accel-Buffering': 'no',
		});
		res.write('retry: 1000\n\n');
		const connection: IConnection = { ...subscriber, res, sent: new Map() };
		this.connections.add(connection);
		res.on('close', () => this.connections.delete(connection));
		this.push(connection, snapshots);
	}

	/** Sends each open page the snapshots that differ from what it last got. */
	public publish(snapshots: ReadonlyMap<ServerEventName, EventSnapshot>): void {
		for (const connection of this.connections) {
			this.push(connection, snapshots);
		}
	}

	/** Number of open pages. */
	public get size(): number {
		return this.connections.size;
	}

	/** Ends every stream (the server is stopping). */
	public close(): void {
		clearInterval(this.heartbeat);
		for (const connection of this.connections) {
			connection.res.end();
		}
		this.connections.clear();
	}

	private push(
		connection: IConnection,
		snapshots: ReadonlyMap<ServerEventName, EventSnapshot>,
	): void {
		for (const [name, snapshot] of snapshots) {
			let data: string;
			try {
				const payload = snapshot(connection);
				if (payload === undefined) {
					continue;
				}
				data = JSON.stringify(payload);
			} catch (error) {
				console.error(`event ${name} failed:`, error);
				continue;
			}
			if (name !== 'changed' && connection.sent.get(name) === data) {
				continue;
			}
			connection.sent.set(name, data);
			connection.res.write(`event: ${name}\ndata: ${data}\n\n`);
		}
	}
}
