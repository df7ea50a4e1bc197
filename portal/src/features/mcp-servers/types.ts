/** Wire shape of the MCP servers route; the lead swaps it for the server's exported type at integration. */

// Wire shape of a row of GET /admin/analytics/mcp-servers (portal-contract §3)
export interface McpServerRow {
  server: string;
  tools: number;
  tool_names: string[];
  calls: number;
  users: number;
  errors: number;
  error_rate: number;
}
