/**
 * The Settings page's checks and sentences (pure; tested in test/portal/settings-text.test.ts).
 */
import { formatDateTime } from '../../lib/format.js';

/** What PATCH /admin/settings accepts for session_ttl_hours: one hour to one year. */
export const TTL_MIN_HOURS = 1;
export const TTL_MAX_HOURS = 8760;

/** Why the typed TTL cannot be saved, or undefined. */
export function ttlProblem(text: string): string | undefined {
  const hours = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(hours) || hours < TTL_MIN_HOURS || hours > TTL_MAX_HOURS) {
    return `A whole number of hours from ${TTL_MIN_HOURS} to ${TTL_MAX_HOURS.toLocaleString('en-US')} (one year).`;
  }
  return undefined;
}

/** 1 hour, 12 hours, 24 hours (1 day), 720 hours (30 days). */
export function hoursText(hours: number): string {
  const base = `${hours.toLocaleString('en-US')} ${hours === 1 ? 'hour' : 'hours'}`;
  if (hours < 24 || hours % 24 !== 0) return base;
  const days = hours / 24;
  return `${base} (${days.toLocaleString('en-US')} ${days === 1 ? 'day' : 'days'})`;
}

/** Where a setting's value comes from: an admin's change, or the start-up default. */
export function sourceText(state: { source: 'database' | 'environment'; updated_at: string | null }, timeZone?: string): string {
  if (state.source === 'database') return state.updated_at ? `Set by an admin, ${formatDateTime(state.updated_at, timeZone)}` : 'Set by an admin';
  return 'The default applies';
}
