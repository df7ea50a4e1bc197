/**
 * Sums from the usage rollups, grouped by any of their key columns, over one or more segments
 * (a segment is one table and a bucket range). Each segment is grouped in SQL; groups that
 * appear in several segments (a user in the hourly edges and the daily middle) are added here.
 * A question names the sums it needs: summing a column costs as much as reading it, so the
 * widest questions (30 days of hourly buckets) read only what they show.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, UsageRollupTable } from '../../store/schema.js';
import { ROLLUPS } from '../rollups/rollup-writer.js';
import { addSums, type Sums, type UsageSum } from './figures.js';
import { filterColumns, type AnalyticsFilters } from './filters.js';
import type { Segment } from './range.js';

export type UsageDimension = 'bucket_start' | 'user_id' | 'team_id' | 'model' | 'endpoint_id';
export type UsageGroup<D extends UsageDimension, S extends UsageSum> = Pick<UsageRollupTable, D> & Sums<S>;

const SEP = '\u0000';

export async function usageBy<D extends UsageDimension, S extends UsageSum>(
  db: Kysely<Database>,
  segments: readonly Segment[],
  filters: AnalyticsFilters,
  dimensions: readonly D[],
  sums: readonly S[],
): Promise<Array<UsageGroup<D, S>>> {
  const perSegment = await Promise.all(segments.map((segment) => segmentUsage(db, segment, filters, dimensions, sums)));
  if (perSegment.length === 1) return perSegment[0]!;
  const merged = new Map<string, UsageGroup<D, S>>();
  for (const rows of perSegment) {
    for (const row of rows) {
      const key = dimensions.map((d) => row[d]).join(SEP);
      const into = merged.get(key);
      if (!into) merged.set(key, row);
      else addSums(into, row, sums);
    }
  }
  return [...merged.values()];
}

async function segmentUsage<D extends UsageDimension, S extends UsageSum>(
  db: Kysely<Database>,
  segment: Segment,
  filters: AnalyticsFilters,
  dimensions: readonly D[],
  sums: readonly S[],
): Promise<Array<UsageGroup<D, S>>> {
  let query = db
    .selectFrom(ROLLUPS.usage.tables[segment.grain])
    .where('bucket_start', '>=', segment.from)
    .where('bucket_start', '<', segment.to);
  for (const [column, value] of filterColumns(filters)) query = query.where(column, '=', value);
  // SUM of BIGINT is NUMERIC on PostgreSQL (a string through pg); cast back to BIGINT (a number).
  const selected = sums.map((column) => sql<number>`cast(sum(${sql.ref(column)}) as bigint)`.as(column));
  const rows = await query.select(dimensions).select(selected).$if(dimensions.length > 0, (q) => q.groupBy(dimensions)).execute();
  return rows.map((row) => {
    const group = row as unknown as UsageGroup<D, S>;
    // Sums over no rows are NULL; bucket_start is BIGINT too.
    for (const column of sums) (group as Sums<S>)[column] = Number(group[column] ?? 0);
    if ('bucket_start' in group) (group as { bucket_start: number }).bucket_start = Number(group.bucket_start);
    return group;
  });
}
