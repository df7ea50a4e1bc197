/** The usage tables' rows: the server's own wire types. */
export type { TeamUsageRow, UserUsageRow } from '../../api/types.js';
export type { AnthropicReconciliationView } from '../../../../src/admin/reconciliation.routes.js';
export type { ReconciledDay } from '../../../../src/telemetry/admin-api-collector/anthropic-reconciliation.js';
