/** Values as every admin view writes them: US dollars, percent to one decimal, ISO 8601 times. */

export const usd = (micros: number): number => micros / 1e6;

/** Spend as a percent of a limit, as budget bars read it. */
export const percentOf = (spentMicros: number, limitMicros: number): number => Math.round((spentMicros / limitMicros) * 1000) / 10;

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A time that may be unset (expiry, revocation, last use). */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
