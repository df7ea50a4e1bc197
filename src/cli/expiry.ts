/**
 * Times typed on the command line: an ISO 8601 date or date-time, or a duration (`90m`, `12h`,
 * `30d`, `2w`) counted forward from now for `--expires` and back from now for `--from`/`--to`.
 * Pure: `now` is passed in, so tests pin the clock.
 */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

// Lowercase units only: `30M` could mean months or minutes, so it is refused rather than guessed.
const DURATION = /^(\d+)(m|h|d|w)$/;

// Date.parse accepts free text ("Jan 5") in V8; only ISO shapes are allowed here.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

// Far enough for any real key; near enough that `Date` stays valid.
const MAX_MS = 100 * 365 * UNIT_MS.d;

export const EXPIRY_HELP = 'an ISO date (2026-01-31), an ISO date-time (2026-01-31T18:00:00Z), or a duration from now such as 90m, 12h, 30d or 2w';

export const INSTANT_HELP = 'an ISO date (2026-01-31), an ISO date-time (2026-01-31T18:00:00Z), or a duration back from now such as 90m, 12h, 7d or 2w';

/** The duration in milliseconds, or undefined when `text` is not one; throws past 100 years. */
function durationMs(text: string, input: string): number | undefined {
  const duration = DURATION.exec(text);
  if (!duration) return undefined;
  const ms = Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  if (ms > MAX_MS) throw new Error(`"${input}" is more than 100 years away`);
  return ms;
}

/** An ISO date or date-time; `help` says what else the option accepts. */
function isoInstant(text: string, input: string, help: string): Date {
  const dateOnly = ISO_DATE.exec(text);
  const dateTime = ISO_DATE_TIME.exec(text);
  if (!dateOnly && !dateTime) throw new Error(`"${input}" is not a date or duration; use ${help}`);
  const at = new Date(text);
  // V8 rolls 2026-02-30 over to March 2nd; a typo should fail, not shift the time.
  const calendarDay = dateOnly ? text : dateTime?.[1];
  if (Number.isNaN(at.getTime()) || !isRealDay(calendarDay ?? '')) throw new Error(`"${input}" is not a valid date`);
  return at;
}

/** Parses `input` relative to `now`; throws an Error whose message explains what is accepted. */
export function parseExpiry(input: string, now: Date): Date {
  const text = input.trim();
  const ms = durationMs(text, input);
  if (ms === 0) throw new Error(`"${input}" is not in the future; use ${EXPIRY_HELP}`);
  const at = ms === undefined ? isoInstant(text, input, EXPIRY_HELP) : new Date(now.getTime() + ms);
  if (at.getTime() <= now.getTime()) throw new Error(`"${input}" is in the past`);
  return at;
}

/** A moment for `--from`/`--to`: a date, or a duration back from `now` (`7d`: seven days ago). */
export function parseInstant(input: string, now: Date): Date {
  const text = input.trim();
  const ms = durationMs(text, input);
  return ms === undefined ? isoInstant(text, input, INSTANT_HELP) : new Date(now.getTime() - ms);
}

function isRealDay(day: string): boolean {
  const match = ISO_DATE.exec(day);
  if (!match) return false;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, date));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === date;
}
