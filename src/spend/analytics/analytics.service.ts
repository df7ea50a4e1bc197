/**
 * Analytics over the rollups (docs/admin-api.md#analytics). Names of users, teams and endpoints
 * come from their own areas through `AnalyticsNames` (injected by the composition root): the
 * spend area never reads those tables.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { createAnalyticsCharts } from './analytics-charts.js';
import { createAnalyticsTables } from './analytics-tables.js';
import type { AnalyticsFilters } from './filters.js';
import type { AnalyticsRange } from './range.js';

export interface AnalyticsNames {
  /** A live user's email (in memory); undefined for deleted or unknown users. */
  userEmail(userId: string): string | undefined;
  /** Team id → name. */
  teamNames(): Promise<ReadonlyMap<string, string>>;
  /** Endpoint id → name. */
  endpointNames(): Promise<ReadonlyMap<string, string>>;
}

export interface AnalyticsQuery {
  readonly range: AnalyticsRange;
  readonly filters: AnalyticsFilters;
}

export function createAnalyticsService(deps: { db: Kysely<Database>; names: AnalyticsNames }) {
  return { ...createAnalyticsCharts(deps.db, deps.names), ...createAnalyticsTables(deps.db, deps.names) };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
export type { AnalyticsFilters } from './filters.js';
