/**
 * What the Pricing page says about "Refresh from AWS": the outcome of the run just made, and the
 * last run the gateway remembers. Pure, so it is unit-tested (test/portal/pricing-refresh.test.ts).
 */
import type { PricingRefreshResult, PricingRefreshStatus } from '../../api/types.js';
import { formatDateTime } from '../../lib/format.js';

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "20 rows updated, 6 added, 1 manual row kept": what a refresh did to the table. */
export function refreshCounts(result: Pick<PricingRefreshResult, 'updated' | 'added' | 'skipped_manual'>): string {
  return `${count(result.updated, 'row')} updated, ${result.added} added, ${count(result.skipped_manual, 'manual row')} kept`;
}

export function refreshResultText(result: PricingRefreshResult, timeZone?: string): string {
  return `Refreshed ${count(result.models, 'model')} from the AWS Price List (${result.region}) at ${formatDateTime(result.fetched_at, timeZone)}: ${refreshCounts(result)}.`;
}

/** The last run this gateway replica made (scheduled or by someone), or nothing before the first. */
export function lastRefreshText(status: PricingRefreshStatus | null | undefined, timeZone?: string): { ok: boolean; text: string } | undefined {
  if (!status) return undefined;
  const at = formatDateTime(status.at, timeZone);
  if (!status.ok) return { ok: false, text: `The last refresh from AWS, at ${at}, failed: ${status.error ?? 'no reason given'}` };
  return { ok: true, text: `Last refreshed from AWS at ${at}: ${refreshCounts(status)}.` };
}
