/** The analytics and budget answers the Dashboard (and Usage) read: the server's own wire types. */
import type {
  AnalyticsHeatmap,
  AnalyticsLatency,
  AnalyticsSummary as SummaryRecord,
  AnalyticsTimeseries,
  BudgetRecord,
  ModelUsageRow,
  MyBudgetRecord,
  ToolUsageRow,
} from '../../api/types.js';

export type AnalyticsSummary = SummaryRecord;
export type Timeseries = AnalyticsTimeseries;
export type GroupBy = 'none' | 'model' | 'team' | 'user';
export type LatencySeries = AnalyticsLatency;
export type LatencyMetric = AnalyticsLatency['metric'];
export type Heatmap = AnalyticsHeatmap;
export type ModelRow = ModelUsageRow;
export type ToolRow = ToolUsageRow;
export type BudgetListRow = BudgetRecord;
export type MyBudget = MyBudgetRecord;
