/** Money and budget use as every admin view shows them: US dollars, and percent to one decimal. */

export const usd = (micros: number): number => micros / 1e6;

/** Spend as a percent of a limit; Claude Code's and the portal's bars read it. */
export const percentOf = (spentMicros: number, limitMicros: number): number => Math.round((spentMicros / limitMicros) * 1000) / 10;

export const iso = (ms: number): string => new Date(ms).toISOString();
