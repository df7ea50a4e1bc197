/** The statistics table's words: a deleted endpoint's row, and a rate that has no requests behind it. Pure. */
import type { EndpointStatsRecord } from '../../api/types.js';

export const statsRowName = (row: Pick<EndpointStatsRecord, 'name' | 'endpoint_id'>): string => row.name ?? `${row.endpoint_id} (deleted)`;

/** Totals over every row: what the table's footer would say, and what the empty state checks. */
export function statsTotals(rows: readonly EndpointStatsRecord[]): { requests: number; throttles: number; cooldowns: number; failovers: number } {
  return rows.reduce(
    (total, row) => ({ requests: total.requests + row.requests, throttles: total.throttles + row.throttles, cooldowns: total.cooldowns + row.cooldowns, failovers: total.failovers + row.failovers }),
    { requests: 0, throttles: 0, cooldowns: 0, failovers: 0 },
  );
}
