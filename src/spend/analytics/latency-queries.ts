/**
 * Latency histograms for a question, grouped by bucket or by endpoint, from the rollup that
 * carries its filters: the histograms per endpoint and model, or those per team and endpoint.
 * What neither carries (a user — every member's question — or a team and a model together) is
 * answered from the ledger rows themselves, read through the ledger's (user_id, created_at) and
 * (team_id, created_at) indexes and binned with the rollups' own functions, so both paths give
 * the same answer for the same rows.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database, LatencyRollupTable } from '../../store/schema.js';
import { floorTo, GRAIN_MS } from '../rollups/buckets.js';
import { binOf } from '../rollups/latency-bins.js';
import { ttftOf } from '../rollups/rollup-batch.js';
import { ROLLUPS } from '../rollups/rollup-writer.js';
import { filterColumns, type AnalyticsFilters } from './filters.js';
import { addToHistogram, type Histogram } from './percentiles.js';
import { spanOf, type Segment } from './range.js';

export type LatencyMetric = LatencyRollupTable['metric'];
/** Histograms per bucket start (charts) or per endpoint id (the endpoints table). */
export type LatencyGroupBy = 'bucket_start' | 'endpoint_id';
type Add = (group: string | number, bin: number, count: number) => void;

export async function latencyHistograms(
  db: Kysely<Database>,
  segments: readonly Segment[],
  filters: AnalyticsFilters,
  metric: LatencyMetric,
  groupBy: LatencyGroupBy,
): Promise<Map<string | number, Histogram>> {
  const histograms = new Map<string | number, Histogram>();
  const add: Add = (group, bin, count) => {
    let histogram = histograms.get(group);
    if (!histogram) histograms.set(group, (histogram = new Map()));
    addToHistogram(histogram, bin, count);
  };
  const fromLedger = filters.userId !== undefined || (filters.teamId !== undefined && filters.model !== undefined);
  if (fromLedger) await ledgerHistograms(db, segments, filters, metric, groupBy, add);
  else await Promise.all(segments.map((segment) => rollupHistograms(db, segment, filters, metric, groupBy, add)));
  return histograms;
}

async function rollupHistograms(db: Kysely<Database>, segment: Segment, filters: AnalyticsFilters, metric: LatencyMetric, groupBy: LatencyGroupBy, add: Add) {
  const { teamId, model, endpointId } = filters;
  const table = teamId === undefined ? ROLLUPS.latency.tables[segment.grain] : ROLLUPS.teamLatency.tables[segment.grain];
  // Columns only one of the two rollups has are named in SQL, outside the shared row type.
  const equals = (column: 'team_id' | 'model', value: string) => sql<SqlBool>`${sql.ref(column)} = ${value}`;
  const rows = await db
    .selectFrom(table)
    .where('bucket_start', '>=', segment.from)
    .where('bucket_start', '<', segment.to)
    .where('metric', '=', metric)
    .$if(teamId !== undefined, (q) => q.where(equals('team_id', teamId!)))
    .$if(model !== undefined, (q) => q.where(equals('model', model!)))
    .$if(endpointId !== undefined, (q) => q.where('endpoint_id', '=', endpointId!))
    .select([groupBy, 'bin', sql<number>`cast(sum(count) as bigint)`.as('count')])
    .groupBy([groupBy, 'bin'])
    .execute();
  for (const row of rows) add(groupBy === 'bucket_start' ? Number(row[groupBy]) : row[groupBy], row.bin, Number(row.count));
}

async function ledgerHistograms(db: Kysely<Database>, segments: readonly Segment[], filters: AnalyticsFilters, metric: LatencyMetric, groupBy: LatencyGroupBy, add: Add) {
  const span = spanOf(segments);
  let query = db.selectFrom('spend_ledger').where('created_at', '>=', span.from).where('created_at', '<', span.to);
  for (const [column, value] of filterColumns(filters)) query = query.where(column, '=', value);
  if (metric === 'ttft') query = query.where('ttft_ms', 'is not', null);
  const rows = await query.select(['created_at', 'endpoint_id', 'status', 'duration_ms', 'ttft_ms']).execute();
  // Charts have one segment; its grain is the bucket a row falls in.
  const unit = GRAIN_MS[segments[0]!.grain];
  for (const row of rows) {
    const ms = metric === 'duration' ? row.duration_ms : ttftOf(row);
    if (ms === null) continue;
    const group = groupBy === 'bucket_start' ? floorTo(Number(row.created_at), unit) : (row.endpoint_id ?? '');
    add(group, binOf(Number(ms)), 1);
  }
}
