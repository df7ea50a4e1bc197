/**
 * Wire shapes of the analytics and budget routes the Dashboard (and Usage) read that the server
 * does not export yet. Field names are the contract's exactly; the lead swaps these for the
 * server's exported types at integration.
 */
import type { BudgetRecord } from '../../api/types.js';
import type { BudgetStatus } from '../../lib/budget-standing.js';

// Wire shape of GET /admin/analytics/summary (portal-contract §3)
export interface AnalyticsSummary {
  from: string;
  to: string;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd: number;
  avg_latency_ms: number | null;
  cache_hit_rate: number | null;
  active_users: number;
}

export type GroupBy = 'none' | 'model' | 'team' | 'user';

// Wire shape of GET /admin/analytics/timeseries (portal-contract §3)
export interface Timeseries {
  granularity: 'hour' | 'day';
  from: string;
  to: string;
  groups: { key: string; label: string }[];
  points: {
    t: string;
    key: string;
    requests: number;
    errors: number;
    input_tokens: number;
    output_tokens: number;
    cache_read_tokens: number;
    cache_write_tokens: number;
    cost_usd: number;
  }[];
}

export type LatencyMetric = 'duration' | 'ttft';

// Wire shape of GET /admin/analytics/latency (portal-contract §3)
export interface LatencySeries {
  granularity: 'hour' | 'day';
  metric: LatencyMetric;
  points: { t: string; requests: number; avg_ms: number | null; p50_ms: number | null; p95_ms: number | null; p99_ms: number | null }[];
}

// Wire shape of GET /admin/analytics/heatmap (portal-contract §3)
export interface Heatmap {
  tz: string;
  cells: { day: number; hour: number; requests: number; cost_usd: number }[];
}

// Wire shape of a row of GET /admin/analytics/models (portal-contract §3)
export interface ModelRow {
  model: string;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  avg_latency_ms: number | null;
}

// Wire shape of a row of GET /admin/analytics/tools (portal-contract §3)
export interface ToolRow {
  tool: string;
  type: 'builtin' | 'mcp';
  server: string | null;
  calls: number;
  errors: number;
  users: number;
}

// Wire shape of a row of GET /admin/budgets with the fields portal-contract §2 adds
export interface BudgetListRow extends BudgetRecord {
  subject_name: string;
  requests: number;
}

// Wire shape of a row of GET /admin/me/budgets (portal-contract §2)
export interface MyBudget {
  subject_type: string;
  subject_name: string;
  amount_usd: number;
  period: string;
  spent_usd: number | null;
  percent: number | null;
  resets_at: string;
  status: BudgetStatus;
}
