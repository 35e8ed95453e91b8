/** One page of items (pages count from 1) and how many pages there are. */
export interface IPage<T> {
	readonly items: ReadonlyArray<T>;
	readonly page: number;
	readonly pages: number;
	readonly total: number;
}

export const PAGE_SIZE = 10;

/** Slices a page out of items; a page past the end has no items. */
export function paginate<T>(items: ReadonlyArray<T>, page: number, size = PAGE_SIZE): IPage<T> {
	const pages = Math.max(1, Math.ceil(items.length / size));
	return { items: items.slice((page - 1) * size, page * size), page, pages, total: items.length };
}
