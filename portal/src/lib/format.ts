/**
 * How the portal writes numbers, money, times and sizes: one place, so every page agrees, and
 * pure, so it is unit-tested (test/portal/format.test.ts). Money arrives as USD numbers that were
 * micro-dollars on the server; it is shown to the cent, or to a tenth of a cent below a dollar.
 */

const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usd4 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** $1,234.56; amounts under a dollar keep up to four decimals ($0.0042) so small requests are not $0.00. */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return Math.abs(value) < 1 && value !== 0 ? usd4.format(value) : usd2.format(value);
}

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : integer.format(value);
}

/** Token counts: 950, 12.3K, 4.5M. */
export function formatTokens(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Math.abs(value) < 1000 ? integer.format(value) : compact.format(value);
}

/** A fraction (0.123) as 12.3%; a value already in percent with `fromPercent`. */
export function formatPercent(value: number | null | undefined, options: { fromPercent?: boolean; digits?: number } = {}): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const percent = options.fromPercent ? value : value * 100;
  return `${percent.toFixed(options.digits ?? 1)}%`;
}

/** 850 ms, 1.2 s, 3.4 min. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const dateTime = new Intl.DateTimeFormat('en-CA', DATE_TIME);
const dateOnly = new Intl.DateTimeFormat('en-CA', DATE);

/** 2026-03-19 14:30 in the viewer's zone; `timeZone` for tests. */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const format = timeZone ? new Intl.DateTimeFormat('en-CA', { ...DATE_TIME, timeZone }) : dateTime;
  return format.format(date).replace(',', '');
}

export function formatDate(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return (timeZone ? new Intl.DateTimeFormat('en-CA', { ...DATE, timeZone }) : dateOnly).format(date);
}

/** "in 3 days", "5 hours ago": for resets and expiries, relative to `now`. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  if (Number.isNaN(diff)) return '—';
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return rtf.format(Math.round(diff / 1000), 'second');
}
