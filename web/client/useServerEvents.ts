import { useEffect, useRef, useState } from 'react';

import type {
	IChangedEventDto,
	IOpenViewDto,
	IRoomDto,
	IRoomsDto,
	ISettingDto,
	ISettingsDto,
	ITimelineDto,
	IToastDto,
	IToastsDto,
	IViewEnvelopeDto,
	ServerEventName,
} from '../shared/protocol';

/** What the server pushes to the page for one member in one room. */
export interface IServerState {
	connected: boolean;
	timeline: ITimelineDto | undefined;
	view: IOpenViewDto | null;
	contextualBar: IOpenViewDto | null;
	/** The member's rooms (channels and their direct rooms), once the server sent them. */
	rooms: IRoomDto[] | undefined;
	settings: ISettingDto[] | undefined;
	serverSettings: ISettingDto[] | undefined;
	/** Toasts the member's client showed since this page opened (older ones are not shown again). */
	toasts: IToastDto[];
	/** Grows with every change in the workspace (a message, a submit, a setting). */
	version: number;
}

const INITIAL_STATE: IServerState = {
	connected: false,
	timeline: undefined,
	view: null,
	contextualBar: null,
	rooms: undefined,
	settings: undefined,
	serverSettings: undefined,
	toasts: [],
	version: 0,
};

function parse<T>(event: Event): T {
	return JSON.parse((event as MessageEvent<string>).data) as T;
}

/**
 * Listens to GET /api/events for the member (the session cookie) in a room: the timeline, the
 * open modal and contextual bar, the member's rooms, the settings (admins) and a change counter
 * arrive without reloading.
 * `member` only restarts the stream when the page switches member.
 */
export function useServerEvents(member: string | undefined, room: string): IServerState {
	const [state, setState] = useState<IServerState>(INITIAL_STATE);
	// The newest toast id when the page started listening as this member: those are history.
	const toastBaseline = useRef<{ member: string; id: number }>();
	const streamMember = useRef<string>();

	useEffect(() => {
		if (!member) {
			return undefined;
		}
		// Another room keeps what belongs to the member (views, rooms, settings); another member nothing.
		const sameMember = streamMember.current === member;
		streamMember.current = member;
		setState((previous) =>
			sameMember
				? {
						...INITIAL_STATE,
						view: previous.view,
						contextualBar: previous.contextualBar,
						rooms: previous.rooms,
						settings: previous.settings,
						serverSettings: previous.serverSettings,
						toasts: previous.toasts,
					}
				: INITIAL_STATE,
		);
		const source = new EventSource(`/api/events?room=${encodeURIComponent(room)}`);
		const handlers: Array<[ServerEventName, (event: Event) => void]> = [
			[
				'timeline',
				(event) => setState((previous) => ({ ...previous, timeline: parse<ITimelineDto>(event) })),
			],
			[
				'view',
				(event) => {
					const { view, contextualBar } = parse<IViewEnvelopeDto>(event);
					setState((previous) => ({ ...previous, view, contextualBar }));
				},
			],
			[
				'rooms',
				(event) => setState((previous) => ({ ...previous, rooms: parse<IRoomsDto>(event).rooms })),
			],
			[
				'settings',
				(event) => {
					const { settings, serverSettings } = parse<ISettingsDto>(event);
					setState((previous) => ({ ...previous, settings, serverSettings }));
				},
			],
			[
				'toasts',
				(event) => {
					const { toasts } = parse<IToastsDto>(event);
					if (toastBaseline.current?.member !== member) {
						toastBaseline.current = {
							member,
							id: Math.max(0, ...toasts.map((toast) => toast.id)),
						};
					}
					const baseline = toastBaseline.current.id;
					setState((previous) => ({
						...previous,
						toasts: toasts.filter((toast) => toast.id > baseline),
					}));
				},
			],
			[
				'changed',
				(event) =>
					setState((previous) => ({
						...previous,
						version: parse<IChangedEventDto>(event).version,
					})),
			],
		];
		for (const [name, handler] of handlers) {
			source.addEventListener(name, handler);
		}
		source.onopen = () => setState((previous) => ({ ...previous, connected: true }));
		source.onerror = () => setState((previous) => ({ ...previous, connected: false }));
		return () => source.close();
	}, [member, room]);

	return state;
}
