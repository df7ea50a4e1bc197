/**
 * Tool calls and reported failures per (tool, user) from the tool rollups, over the segments of
 * a question. Per user, so the tables can count distinct users per tool and per MCP server.
 */
import { sql, type Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import { ROLLUPS } from '../rollups/rollup-writer.js';
import type { AnalyticsFilters } from './filters.js';
import type { Segment } from './range.js';

export interface ToolUserUsage {
  tool: string;
  userId: string;
  calls: number;
  errors: number;
}

export async function toolUsage(db: Kysely<Database>, segments: readonly Segment[], filters: AnalyticsFilters): Promise<ToolUserUsage[]> {
  // The tool rollups are kept per tool, user and team only.
  if (filters.model !== undefined || filters.endpointId !== undefined) {
    throw new ApiError('invalid_request', 'model, endpoint_id: tool analytics cannot be filtered by model or endpoint');
  }
  const merged = new Map<string, ToolUserUsage>();
  const perSegment = await Promise.all(
    segments.map((segment) => {
      let query = db
        .selectFrom(ROLLUPS.tools.tables[segment.grain])
        .where('bucket_start', '>=', segment.from)
        .where('bucket_start', '<', segment.to);
      if (filters.userId !== undefined) query = query.where('user_id', '=', filters.userId);
      if (filters.teamId !== undefined) query = query.where('team_id', '=', filters.teamId);
      return query
        .select(['tool', 'user_id', sql<number>`cast(sum(calls) as bigint)`.as('calls'), sql<number>`cast(sum(errors) as bigint)`.as('errors')])
        .groupBy(['tool', 'user_id'])
        .execute();
    }),
  );
  for (const rows of perSegment) {
    for (const row of rows) {
      const key = `${row.tool}\u0000${row.user_id}`;
      const into = merged.get(key) ?? { tool: row.tool, userId: row.user_id, calls: 0, errors: 0 };
      into.calls += Number(row.calls);
      into.errors += Number(row.errors);
      merged.set(key, into);
    }
  }
  return [...merged.values()];
}
