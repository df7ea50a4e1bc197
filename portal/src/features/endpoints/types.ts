/** Wire shape of the endpoint traffic route; the lead swaps it for the server's exported type at integration. */

// Wire shape of a row of GET /admin/analytics/endpoints (portal-contract §3)
export interface EndpointTrafficRow {
  endpoint_id: string;
  endpoint_name: string;
  requests: number;
  errors: number;
  error_rate: number;
  avg_latency_ms: number | null;
  p99_latency_ms: number | null;
}
