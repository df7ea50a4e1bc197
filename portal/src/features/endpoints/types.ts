/** A row of GET /admin/analytics/endpoints: the server's own wire type. */
export type { EndpointTrafficRow } from '../../api/types.js';
