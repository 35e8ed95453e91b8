// The admin view's first answer after the app starts: an instance started anew on a store in use
// (its totals folded as far as the closed days), and the first `/feedback admin` timed. The app
// gives its statistics and page ADMIN_VIEW_BUDGET_MS; past that it opens the view at once, saying
// they are still being counted, and goes on reading in the background.
import { progress, timed } from './measure';
import { startCluster } from '../host';
import { ADMIN_VIEW_ID } from '../src/domain/actions';
import { ADMIN_VIEW_BUDGET_MS } from '../src/handlers/AdminViewHandler';

/** What the first admin view showed. */
export type AdminFirstState =
	/** Statistics and the first page. */
	| 'complete'
	/** The budget ran out: "still being counted" (ADMIN_VIEW_BUDGET_MS). */
	| 'counting'
	/** Within the budget, but closed days were left to fold: "still being prepared". */
	| 'preparing'
	/** No admin view, or the call failed. */
	| 'failed';

/** The first `/feedback admin` after a start. */
export interface IAdminFirst {
	/** From sending the command until the app is idle again, the view open. */
	readonly ms: number;
	readonly state: AdminFirstState;
	/** What failed, when it did. */
	readonly problem?: string;
}

/** What a view's texts say about its statistics (the workspace's language, English, is the admin's). */
export function adminViewState(viewId: string | undefined, blocks: unknown): AdminFirstState {
	if (viewId !== ADMIN_VIEW_ID) {
		return 'failed';
	}
	const text = JSON.stringify(blocks);
	if (/still being counted/i.test(text)) {
		return 'counting';
	}
	return /still being prepared/i.test(text) ? 'preparing' : 'complete';
}

/** Starts one instance on the store, times its first `/feedback admin`, and stops it. */
export async function timeAdminFirst(databasePath: string, zipPath: string): Promise<IAdminFirst> {
	const [instance] = await startCluster(1, databasePath, zipPath);
	try {
		const { ms } = await timed(() => instance.command('admin', 'general', '/feedback admin'));
		const open = await instance.openView('admin');
		const state = adminViewState(open?.viewId, open?.view.blocks);
		return state === 'failed'
			? { ms, state, problem: `the admin view did not open (${open?.viewId ?? 'no view'})` }
			: { ms, state };
	} catch (error) {
		return {
			ms: Number.NaN,
			state: 'failed',
			problem: error instanceof Error ? error.message : String(error),
		};
	} finally {
		await instance
			.stop()
			.catch((error: unknown) => progress(`stopping the instance: ${String(error)}`));
	}
}

/** "412 ms, complete" for the progress lines and the report. */
export function describeAdminFirst(first: IAdminFirst): string {
	const ms = Number.isFinite(first.ms) ? `${Math.round(first.ms)} ms` : 'n/a';
	switch (first.state) {
		case 'complete':
			return `${ms}, statistics and page shown`;
		case 'counting':
			return `${ms}, "still being counted" (past the ${ADMIN_VIEW_BUDGET_MS / 1000} s budget)`;
		case 'preparing':
			return `${ms}, "still being prepared" (closed days left to fold)`;
		default:
			return `failed: ${first.problem ?? 'unknown'}`;
	}
}
