import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';

import { buildAssociations } from './associations';
import type { RecordScope } from './associations';
import { DAY_CLOSING_GRACE_MS } from '../domain/days';

/** Months ("YYYY-MM") from `first` through `last`, oldest first. */
export function monthsBetween(first: string, last: string): Array<string> {
	const months: Array<string> = [];
	let [year, month] = first.split('-').map(Number);
	for (let current = first; current <= last && months.length < 1200; ) {
		months.push(current);
		month += 1;
		if (month > 12) {
			month = 1;
			year += 1;
		}
		current = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
	}
	return months;
}

function dayOfMarker(value: unknown): string | undefined {
	const { day } = (value ?? {}) as { day?: unknown };
	return typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined;
}

function distinctDays(values: ReadonlyArray<unknown>): Array<string> {
	const days = new Set<string>();
	for (const value of values) {
		const day = dayOfMarker(value);
		if (day) {
			days.add(day);
		}
	}
	return [...days].sort();
}

/** How far the markers of an earlier version were filed under their month. */
interface IMonthFiling {
	readonly done: boolean;
	/** The month of the first day marked ('' for none). */
	readonly firstMonth: string;
}

/**
 * One marker per day that has records, also filed under its month, so the recent days are read
 * without every day ever marked (a store of years holds a marker per day). Markers of an earlier
 * version carry only their day: the upkeep files them under their month once (`fileByMonth`);
 * until then every marker is read.
 */
export class DayMarkers {
	private filing?: Promise<IMonthFiling>;

	constructor(
		private readonly reader: IPersistenceRead,
		private readonly scope: RecordScope,
		private readonly filingScope: RecordScope,
	) {}

	/** Marks a day (an upsert: marking it again changes nothing). */
	public async mark(persistence: IPersistence, day: string): Promise<void> {
		await persistence.updateByAssociations(
			buildAssociations({ scope: this.scope, keys: [day, `month:${day.slice(0, 7)}`] }),
			{ day, month: day.slice(0, 7) },
			true,
		);
	}

	/** Every day marked, oldest first. */
	public async all(): Promise<Array<string>> {
		return distinctDays(
			await this.reader.readByAssociations(buildAssociations({ scope: this.scope })),
		);
	}

	/** The days marked from `fromDay` on, oldest first: the months from its own on only, once filed so. */
	public async from(fromDay: string, now: Date): Promise<Array<string>> {
		const filing = await this.monthFiling();
		if (!filing.done || fromDay === '') {
			return (await this.all()).filter((day) => day >= fromDay);
		}
		const months = monthsBetween(
			fromDay.slice(0, 7) > filing.firstMonth ? fromDay.slice(0, 7) : filing.firstMonth,
			this.latestMonth(now),
		);
		const read = await Promise.all(months.map((month) => this.ofMonth(month)));
		return read
			.flat()
			.filter((day) => day >= fromDay)
			.sort();
	}

	/** The days marked, newest first, a month at a time once filed so (stop when you have enough). */
	public async *newestFirst(now: Date): AsyncGenerator<string> {
		const filing = await this.monthFiling();
		if (!filing.done) {
			yield* (await this.all()).reverse();
			return;
		}
		for (const month of monthsBetween(filing.firstMonth, this.latestMonth(now)).reverse()) {
			yield* (await this.ofMonth(month)).reverse();
		}
	}

	/**
	 * Files the markers of an earlier version under their month, once: marks every day again
	 * (the day markers of this version are filed so already) and notes that it is done, with
	 * the first month. Says whether it is done.
	 */
	public async fileByMonth(persistence: IPersistence, now: Date): Promise<boolean> {
		if ((await this.monthFiling()).done) {
			return true;
		}
		const stored = await this.reader.readByAssociations(buildAssociations({ scope: this.scope }));
		const unfiled = distinctDays(
			stored.filter((value) => typeof (value as { month?: unknown }).month !== 'string'),
		);
		const days = distinctDays(stored);
		for (const day of unfiled) {
			await this.mark(persistence, day);
		}
		// With no day marked yet, every later day is marked by this version, under its month.
		await this.markFiled(persistence, days[0]?.slice(0, 7) ?? now.toISOString().slice(0, 7));
		return true;
	}

	/** Notes that every marker from `firstMonth` on is filed under its month (a store this version wrote from the start). */
	public async markFiled(persistence: IPersistence, firstMonth: string): Promise<void> {
		await persistence.updateByAssociations(
			buildAssociations({ scope: this.filingScope }),
			{ done: true, firstMonth },
			true,
		);
		this.filing = undefined;
	}

	private async ofMonth(month: string): Promise<Array<string>> {
		return distinctDays(
			await this.reader.readByAssociations(
				buildAssociations({ scope: this.scope, keys: [`month:${month}`] }),
			),
		);
	}

	/** The month of the latest day a clock running the grace ahead could write in. */
	private latestMonth(now: Date): string {
		return new Date(now.getTime() + DAY_CLOSING_GRACE_MS).toISOString().slice(0, 7);
	}

	private monthFiling(): Promise<IMonthFiling> {
		this.filing ??= this.reader
			.readByAssociations(buildAssociations({ scope: this.filingScope }))
			.then((stored) => {
				let filing: IMonthFiling = { done: false, firstMonth: '' };
				for (const value of stored) {
					const { done, firstMonth } = (value ?? {}) as { done?: unknown; firstMonth?: unknown };
					if (done === true && typeof firstMonth === 'string') {
						// Of racing notes, the earliest first month: none of its days is left out.
						filing =
							filing.done && filing.firstMonth <= firstMonth ? filing : { done: true, firstMonth };
					}
				}
				return filing;
			});
		return this.filing;
	}
}
