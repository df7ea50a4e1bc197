/** A row of GET /admin/analytics/mcp-servers: the server's own wire type. */
export type { McpServerUsageRow as McpServerRow } from '../../api/types.js';
