/**
 * How long an upstream asked us to wait after throttling: `retry-after` (delay-seconds or an HTTP
 * date, RFC 9110 §10.2.3) first; without it, the reset time of the rate-limit window that ran out
 * (`anthropic-ratelimit-*-reset`). Undefined when the reply says neither (Bedrock's
 * ThrottlingException never does), and the endpoint's health falls back to exponential backoff.
 */
import { utilizationFromHeaders, type ReplyHeaders } from './rate-limit-headers.js';

const DELAY_SECONDS = /^\d+(\.\d+)?$/;
/** An IMF-fixdate and its obsolete forms all name a weekday or month; V8 would read "-5" as a year. */
const HTTP_DATE = /[a-z]{3}/i;

/** `retry-after` as milliseconds from `now`; a date in the past means 0. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (DELAY_SECONDS.test(text)) return Math.round(Number(text) * 1000);
  const at = HTTP_DATE.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Milliseconds until the latest reset among the exhausted windows (utilization 1). */
export function exhaustedWindowResetMs(headers: ReplyHeaders, now: number): number | undefined {
  let latest: number | undefined;
  for (const reading of utilizationFromHeaders(headers)) {
    if (reading.utilization < 1 || reading.resetsAt === undefined) continue;
    latest = Math.max(latest ?? 0, reading.resetsAt);
  }
  return latest === undefined ? undefined : Math.max(0, latest - now);
}

/** The wait a throttled reply asks for, in ms, or undefined when it does not say. */
export function retryDelayFromHeaders(headers: ReplyHeaders, now: number): number | undefined {
  return parseRetryAfter(headers['retry-after'], now) ?? exhaustedWindowResetMs(headers, now);
}
