import type { IUIKitResponse } from '@rocket.chat/apps-engine/definition/uikit';

import type { IViewRequest, IViewSubmitRequest } from './requestContext';

/** The ids of one kind of view: one id, or every id with a prefix. */
export type ViewIds = { readonly exactly: string } | { readonly startingWith: string };

/** Who answers the views of one kind: they are told apart by their ids. */
export interface IViewRoute {
	readonly ids: ViewIds;
	submit(request: IViewSubmitRequest): Promise<IUIKitResponse>;
	/** Absent: closing such a view needs nothing done. */
	close?(request: IViewRequest): Promise<IUIKitResponse>;
}

/**
 * Hands a view's submit or close to the handler of its kind, by the view's id. A view of no kind
 * the app knows (or a forged id) is answered with success and nothing done.
 */
export class ViewRoutes {
	constructor(private readonly routes: ReadonlyArray<IViewRoute>) {}

	/** Answers a submit of one of the app's views. */
	public submit(request: IViewSubmitRequest): Promise<IUIKitResponse> {
		const route = this.routeOf(request.view.id);
		return route ? route.submit(request) : Promise.resolve(request.responder.successResponse());
	}

	/** Answers a close of one of the app's views. */
	public close(request: IViewRequest): Promise<IUIKitResponse> {
		const route = this.routeOf(request.view.id);
		return route?.close
			? route.close(request)
			: Promise.resolve(request.responder.successResponse());
	}

	private routeOf(viewId: string): IViewRoute | undefined {
		return this.routes.find(({ ids }) =>
			'exactly' in ids ? viewId === ids.exactly : viewId.startsWith(ids.startingWith),
		);
	}
}
