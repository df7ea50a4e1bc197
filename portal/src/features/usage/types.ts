/** Wire shapes of the usage tables' routes; the lead swaps these for the server's exported types at integration. */

// Wire shape of a row of GET /admin/analytics/users (portal-contract §3)
export interface UserUsageRow {
  user_id: string;
  user_email: string;
  team_id: string | null;
  team_name: string | null;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  tokens: number;
  cost_usd: number;
  avg_cost_usd: number | null;
}

// Wire shape of a row of GET /admin/analytics/teams (portal-contract §3)
export interface TeamUsageRow {
  team_id: string | null;
  team_name: string | null;
  requests: number;
  tokens: number;
  cost_usd: number;
  users: number;
}
