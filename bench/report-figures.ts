// Figures measured once, by hand, when a limit in the code was chosen: kept here rather than in
// the code's comments, which name the limit and point to this section of docs/benchmarks.md.

/** The section on the figures behind the code's limits (the same in every report). */
export function figuresSection(): string[] {
	return [
		'## Figures behind limits in the code',
		'',
		'Measured once, by hand, when each limit was chosen; `npm run bench` does not measure them again. ' +
			'The code names the limit and points here.',
		'',
		'- Export part size (`EXPORT_PART_MAX_BYTES`, 2 MiB, src/domain/exportFile.ts): at 100k entries, parts of ' +
			'1, 2 and 4 MiB peaked at about 150, 205 and 295 MB in the host and 215, 220 and 300 MB in the ' +
			"app's process, in the same time; 2 MiB keeps that bounded without too many files.",
		'- An export file is uploaded as a Buffer (src/handlers/AppPoster.ts uploadText): a plain Uint8Array crosses the ' +
			"bridge's JSON check as an object keyed by index, about 12 characters a byte, and was 2 to 5 times " +
			'slower than a Buffer, which crosses as an array.',
		'- Status changes read a few days at a time (`StatusLog.statusOfAllByDays`, src/persistence/StatusLog.ts): ' +
			"one read per day with changes made the admin view's status filter several times slower, at 1k entries " +
			'over 200 days.',
		'- Folds per upkeep run (`FOLDS_PER_RUN`, 2, src/handlers/UpkeepJob.ts): at 1M entries a fold of both ' +
			"totals takes a few seconds, so a run stays well inside the engine's 30 s per call.",
		'- The previous design runs up to 100k only (`BEFORE_MAX_SIZE`, bench/config.ts): it reads every record, ' +
			'about 25 s a call at 1M.',
		'',
	];
}
