/**
 * Folds ledger rows into rollup rows in memory: one row per rollup key and grain, so a batch
 * becomes one upsert per table and no key appears twice in a statement (PostgreSQL refuses an
 * ON CONFLICT DO UPDATE that touches a row twice). The one aggregation both the live write path
 * and the migration's backfill use. Pure.
 */
import type { LatencyRollupTable, SpendLedgerTable, TeamLatencyRollupTable, ToolRollupTable, UsageRollupTable } from '../../store/schema.js';
import { toolNamesOf } from '../tool-names.js';
import { floorTo, GRAIN_MS, GRAINS, type Grain } from './buckets.js';
import { binOf } from './latency-bins.js';

export interface RollupBatch {
  readonly usage: Record<Grain, UsageRollupTable[]>;
  readonly latency: Record<Grain, LatencyRollupTable[]>;
  readonly teamLatency: Record<Grain, TeamLatencyRollupTable[]>;
  readonly tools: Record<Grain, ToolRollupTable[]>;
}

/**
 * Tool names come from request and response bodies, so their length is the client's to choose;
 * the tool rollup's key must stay under PostgreSQL's btree entry limit or the whole ledger row
 * would be refused. API tool names are at most 128 characters.
 */
export const MAX_TOOL_NAME = 128;

/** An error is an error the upstream or gateway reported; a client abort without one is not. */
export const isError = (row: Pick<SpendLedgerTable, 'error_type'>) => row.error_type !== null && row.error_type !== undefined;
/** An error body's first byte is no token: only answered requests measure time to first token. */
export const ttftOf = (row: Pick<SpendLedgerTable, 'ttft_ms' | 'status'>): number | null => (row.ttft_ms !== null && row.ttft_ms !== undefined && row.status < 400 ? row.ttft_ms : null);

const SEP = '\u0000';

function usageRow(bucket: number, row: SpendLedgerTable): UsageRollupTable {
  return {
    bucket_start: bucket,
    user_id: row.user_id ?? '',
    team_id: row.team_id ?? '',
    model: row.model,
    endpoint_id: row.endpoint_id ?? '',
    requests: 0,
    errors: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_5m_tokens: 0,
    cache_write_1h_tokens: 0,
    cost_micros: 0,
    duration_ms_sum: 0,
    ttft_ms_sum: 0,
    ttft_count: 0,
    web_searches: 0,
  };
}

function addUsage(sum: UsageRollupTable, row: SpendLedgerTable, ttft: number | null): void {
  sum.requests += 1;
  if (isError(row)) sum.errors += 1;
  sum.input_tokens += row.input_tokens;
  sum.output_tokens += row.output_tokens;
  sum.cache_read_tokens += row.cache_read_tokens;
  sum.cache_write_5m_tokens += row.cache_write_5m_tokens;
  sum.cache_write_1h_tokens += row.cache_write_1h_tokens;
  sum.cost_micros += row.cost_micros;
  sum.duration_ms_sum += row.duration_ms;
  if (ttft !== null) {
    sum.ttft_ms_sum += ttft;
    sum.ttft_count += 1;
  }
  sum.web_searches += row.web_searches;
}

/** Get-or-create in a map, so each aggregation below is one line per key. */
function slot<T>(map: Map<string, T>, key: string, create: () => T): T {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = create()));
  return value;
}

/** Map values in key order: concurrent writers then lock rows in the same order (no deadlocks). */
const sorted = <T>(map: Map<string, T>): T[] => [...map.keys()].sort().map((key) => map.get(key)!);

function foldGrain(rows: readonly SpendLedgerTable[], unitMs: number) {
  const usage = new Map<string, UsageRollupTable>();
  const latency = new Map<string, LatencyRollupTable>();
  const teamLatency = new Map<string, TeamLatencyRollupTable>();
  const tools = new Map<string, ToolRollupTable>();
  const countLatency = (bucket: number, row: SpendLedgerTable, metric: LatencyRollupTable['metric'], ms: number) => {
    const endpoint = row.endpoint_id ?? '';
    const bin = binOf(ms);
    const key = [bucket, endpoint, row.model, metric, bin].join(SEP);
    slot(latency, key, () => ({ bucket_start: bucket, endpoint_id: endpoint, model: row.model, metric, bin, count: 0 })).count += 1;
    const team = row.team_id;
    if (team === null || team === undefined) return;
    const teamKey = [team, bucket, endpoint, metric, bin].join(SEP);
    slot(teamLatency, teamKey, () => ({ team_id: team, bucket_start: bucket, endpoint_id: endpoint, metric, bin, count: 0 })).count += 1;
  };
  const countTool = (bucket: number, row: SpendLedgerTable, name: string, field: 'calls' | 'errors') => {
    const tool = name.slice(0, MAX_TOOL_NAME);
    const user = row.user_id ?? '';
    const team = row.team_id ?? '';
    const key = [bucket, tool, user, team].join(SEP);
    slot(tools, key, () => ({ bucket_start: bucket, tool, user_id: user, team_id: team, calls: 0, errors: 0 }))[field] += 1;
  };

  for (const row of rows) {
    const bucket = floorTo(row.created_at, unitMs);
    const ttft = ttftOf(row);
    const key = [bucket, row.user_id ?? '', row.team_id ?? '', row.model, row.endpoint_id ?? ''].join(SEP);
    addUsage(slot(usage, key, () => usageRow(bucket, row)), row, ttft);
    countLatency(bucket, row, 'duration', row.duration_ms);
    if (ttft !== null) countLatency(bucket, row, 'ttft', ttft);
    for (const name of toolNamesOf(row.tool_names)) countTool(bucket, row, name, 'calls');
    for (const name of toolNamesOf(row.tool_errors)) countTool(bucket, row, name, 'errors');
  }
  return { usage: sorted(usage), latency: sorted(latency), teamLatency: sorted(teamLatency), tools: sorted(tools) };
}

export function rollupsOf(rows: readonly SpendLedgerTable[]): RollupBatch {
  const [hour, day] = GRAINS.map((grain) => foldGrain(rows, GRAIN_MS[grain])) as [ReturnType<typeof foldGrain>, ReturnType<typeof foldGrain>];
  return {
    usage: { hour: hour.usage, day: day.usage },
    latency: { hour: hour.latency, day: day.latency },
    teamLatency: { hour: hour.teamLatency, day: day.teamLatency },
    tools: { hour: hour.tools, day: day.tools },
  };
}
