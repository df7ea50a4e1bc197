/** The attribution reports' rows: the server's own wire types (src/admin/attribution.routes.ts). */
export type { BillingGroupSpendView, SessionDetailView, SessionSpendView } from '../../../../src/admin/attribution.routes.js';
