/**
 * Times and intervals as Rocket.Chat's scheduler reads them. The server's bridge
 * (RocketChat/Rocket.Chat apps/meteor/app/apps/server/bridges/scheduler.ts) hands `when` and
 * `interval` to @rocket.chat/agenda (packages/agenda/src/Job.ts), which reads them with
 * `cron` ~1.8.2 (kelektiv/node-cron lib/cron.js, CronTime), `human-interval` ^2 (agenda/human-interval
 * index.js) and `date.js` ~0.3.3. The first two are re-implemented here rule for rule (no new
 * dependency); of date.js only the relative forms are ("in 5 minutes", "5 minutes from now").
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: Record<string, number> = {
	second: SECOND,
	minute: MINUTE,
	hour: HOUR,
	day: DAY,
	week: 7 * DAY,
	month: 30 * DAY,
	year: 365 * DAY,
};

const SMALL_NUMBERS: Record<string, number> = {
	zero: 0,
	one: 1,
	two: 2,
	three: 3,
	four: 4,
	five: 5,
	six: 6,
	seven: 7,
	eight: 8,
	nine: 9,
	ten: 10,
	eleven: 11,
	twelve: 12,
	thirteen: 13,
	fourteen: 14,
	fifteen: 15,
	sixteen: 16,
	seventeen: 17,
	eighteen: 18,
	nineteen: 19,
	twenty: 20,
	thirty: 30,
	forty: 40,
	fifty: 50,
	sixty: 60,
	seventy: 70,
	eighty: 80,
	ninety: 90,
};

/** English number words ("three", "twenty five", "one hundred"), as human-interval's `numbered` reads them. */
function parseNumberWords(text: string): number {
	const words = text.split(/[\s-]+/).filter(Boolean);
	if (words.length === 0) {
		return Number.NaN;
	}
	let total = 0;
	let current = 0;
	for (const word of words) {
		if (word in SMALL_NUMBERS) {
			current += SMALL_NUMBERS[word];
		} else if (word === 'hundred') {
			current = (current || 1) * 100;
		} else if (word === 'thousand' || word === 'million') {
			total += (current || 1) * (word === 'thousand' ? 1000 : 1_000_000);
			current = 0;
		} else {
			return Number.NaN;
		}
	}
	return total + current;
}

/**
 * human-interval 2 (agenda/human-interval index.js): a number is returned as is; a text is a sum
 * of "<number> <unit>" groups (units second…year, month = 30 days, year = 365 days; "and" and
 * punctuation ignored; a unit without a number counts once); NaN when no unit is found.
 */
export function humanInterval(time: string | number | undefined): number {
	if (time === undefined || time === '' || typeof time === 'number') {
		return time === undefined || time === '' ? Number.NaN : time;
	}
	const unitPattern = /(second|minute|hour|day|week|month|year)s?/;
	let rest = time.replace(/([^a-z\d.-]|and)+/g, ' ');
	let result = Number.NaN;
	for (;;) {
		const match = unitPattern.exec(rest);
		if (!match) {
			return result;
		}
		const before = rest.slice(0, match.index).trim();
		let count = 1;
		if (before.length > 0) {
			count = Number.parseFloat(before);
			if (Number.isNaN(count)) {
				count = parseNumberWords(before);
			}
		}
		if (Number.isNaN(result)) {
			result = 0;
		}
		result += count * UNITS[match[1]];
		rest = rest.slice(match.index + match[0].length);
	}
}

const CRON_UNITS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;
// cron 1.x: months are 0-11 (January = 0) and weekdays 0-6 (Sunday = 0); values beyond are clamped.
const CRON_CONSTRAINTS: ReadonlyArray<[number, number]> = [
	[0, 59],
	[0, 59],
	[0, 23],
	[1, 31],
	[0, 11],
	[0, 6],
];
const CRON_DEFAULTS = ['0', '*', '*', '*', '*', '*'];
const CRON_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CRON_ALIASES: Record<string, number> = {
	jan: 0,
	feb: 1,
	mar: 2,
	apr: 3,
	may: 4,
	jun: 5,
	jul: 6,
	aug: 7,
	sep: 8,
	oct: 9,
	nov: 10,
	dec: 11,
	sun: 0,
	mon: 1,
	tue: 2,
	wed: 3,
	thu: 4,
	fri: 5,
	sat: 6,
};
// cron 1.x gives up after this many steps ("cron reached maximum iterations").
const CRON_MAX_ITERATIONS = (11 + 30 + 23 + 59 + 59) * 5;

/**
 * A cron expression as `cron` 1.8 (CronTime) reads it, in the process's local time zone (the
 * server passes no time zone): 6 fields (seconds first) or fewer, missing leading fields taken as
 * `0 * * * * *`; `*`, lists, ranges and steps; 3-letter month and weekday names. Throws on anything
 * else, which makes Agenda fall back to human-interval.
 */
export class CronTime {
	private readonly fields: Array<Set<number>>;

	private constructor(fields: Array<Set<number>>) {
		this.fields = fields;
	}

	public static parse(source: unknown): CronTime {
		if (typeof source !== 'string') {
			// cron calls source.replace(): a number throws, so Agenda reads it as milliseconds.
			throw new TypeError('A cron expression is a string');
		}
		const replaced = source.replace(/[a-z]{1,3}/gi, (alias) => {
			const key = alias.toLowerCase();
			if (key in CRON_ALIASES) {
				return String(CRON_ALIASES[key]);
			}
			throw new Error(`Unknown alias: ${key}`);
		});
		const split = replaced.trim().split(/\s+/);
		const fields = CRON_UNITS.map((_unit, index) => {
			const field = split[index - (CRON_UNITS.length - split.length)] || CRON_DEFAULTS[index];
			return CronTime.parseField(field, CRON_CONSTRAINTS[index]);
		});
		CronTime.verify(fields);
		return new CronTime(fields);
	}

	private static parseField(field: string, [low, high]: [number, number]): Set<number> {
		const values = new Set<number>();
		for (const range of field.replace(/\*/g, `${low}-${high}`).split(',')) {
			const match = /^(\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(range);
			if (!match) {
				throw new Error(`Field (${field}) cannot be parsed`);
			}
			const step = Number.parseInt(match[3] ?? '', 10) || 1;
			const lower = Math.min(Math.max(low, Math.trunc(Math.abs(Number(match[1])))), high);
			const upper =
				match[2] !== undefined ? Math.min(high, Math.trunc(Math.abs(Number(match[2])))) : lower;
			let pointer = lower;
			do {
				values.add(pointer);
				pointer += step;
			} while (pointer <= upper);
		}
		return values;
	}

	/** cron's _verifyParse: a day of month that no chosen month has is folded into range. */
	private static verify(fields: Array<Set<number>>): void {
		const months = [...fields[4]];
		const days = fields[3];
		let ok = false;
		let lastWrongMonth = months[0];
		for (const month of months) {
			for (const day of days) {
				if (day <= CRON_MONTH_DAYS[month]) {
					ok = true;
				}
			}
			if (!ok) {
				lastWrongMonth = month;
			}
		}
		if (!ok) {
			const limit = CRON_MONTH_DAYS[lastWrongMonth];
			for (const day of [...days]) {
				if (day > limit) {
					days.delete(day);
					days.add(day % limit);
				}
			}
		}
	}

	/** cron's _getNextDateFrom: the first matching second after `start` (never `start` itself). */
	public next(start: number): number {
		const [seconds, minutes, hours, daysOfMonth, months, daysOfWeek] = this.fields;
		const first = start;
		let date = new Date(start);
		if (date.getMilliseconds() > 0) {
			date.setMilliseconds(0);
			date = new Date(date.getTime() + SECOND);
		}
		for (let iteration = 1; ; iteration++) {
			if (iteration > CRON_MAX_ITERATIONS) {
				throw new Error('cron reached maximum iterations');
			}
			if (!months.has(date.getMonth())) {
				date.setDate(1);
				date.setMonth(date.getMonth() + 1);
				date.setHours(0, 0, 0, 0);
				continue;
			}
			if (!daysOfMonth.has(date.getDate()) || !daysOfWeek.has(date.getDay())) {
				date.setDate(date.getDate() + 1);
				date.setHours(0, 0, 0, 0);
				continue;
			}
			if (!hours.has(date.getHours())) {
				date = new Date(date.getTime() + HOUR);
				date.setMinutes(0, 0, 0);
				continue;
			}
			if (!minutes.has(date.getMinutes())) {
				date = new Date(date.getTime() + MINUTE);
				date.setSeconds(0, 0);
				continue;
			}
			if (!seconds.has(date.getSeconds())) {
				date = new Date(date.getTime() + SECOND);
				continue;
			}
			if (date.getTime() === first) {
				date = new Date(date.getTime() + SECOND);
				continue;
			}
			return date.getTime();
		}
	}
}

/** What a job's next run is after computing it, as Agenda's Job.computeNextRunAt leaves it. */
export interface INextRun {
	/** null: none (Agenda then marks the job failed, "failed to calculate nextRunAt…"). */
	nextRunAt: number | null;
	failReason?: string;
}

/**
 * Agenda's Job._computeFromInterval (packages/agenda/src/Job.ts): a cron expression gives its next
 * time after the last run (and after the previous nextRunAt); otherwise the interval in ms (a
 * number, or human-interval text; anything unreadable counts as 0) is added to the last run. The
 * last run is `now` for a running job, so missed periods are not caught up: one run, then the next
 * one interval from now. A job that never ran and has a non-zero interval is due at once.
 */
export function computeNextRunAt(
	interval: string | number,
	lastRunAt: number | undefined,
	previousNextRunAt: number | null | undefined,
	now: number,
): INextRun {
	const lastRun = lastRunAt ?? now;
	const previous = previousNextRunAt ?? now;
	let nextRunAt: number;
	try {
		const cron = CronTime.parse(interval);
		let next = cron.next(lastRun);
		if (next === lastRun || next <= previous) {
			next = cron.next(lastRun + SECOND);
		}
		nextRunAt = next;
	} catch {
		const milliseconds = (typeof interval === 'number' ? interval : humanInterval(interval)) || 0;
		nextRunAt = lastRunAt === undefined && milliseconds ? lastRun : lastRun + milliseconds;
	}
	if (Number.isNaN(nextRunAt)) {
		return {
			nextRunAt: null,
			failReason: 'failed to calculate nextRunAt due to invalid repeat interval',
		};
	}
	return { nextRunAt };
}

/**
 * Agenda's Job.schedule(when): `new Date(when)` when that is a valid date, else date.js. Of date.js,
 * the local host reads "now", "in <interval>", "<interval> from now" and "<interval>" (from now),
 * with human-interval's units; any other text throws, so the bridge logs it as the server logs a
 * failed schedule.
 */
export function parseWhen(when: string | Date | number, now: number): number {
	const direct = new Date(when);
	if (!Number.isNaN(direct.getTime())) {
		return direct.getTime();
	}
	if (typeof when !== 'string') {
		throw new Error(`Invalid date: ${String(when)}`);
	}
	const text = when.trim().toLowerCase();
	if (text === 'now') {
		return now;
	}
	const relative = /^in\s+(.+)$/.exec(text)?.[1] ?? /^(.+?)\s+from\s+now$/.exec(text)?.[1] ?? text;
	const milliseconds = humanInterval(relative);
	if (Number.isNaN(milliseconds)) {
		throw new Error(
			`The local host does not read the time "${when}": pass a Date, or "in <number> <unit>" (date.js reads more).`,
		);
	}
	return now + milliseconds;
}
