/**
 * Wire shapes of the endpoint and routing admin routes that the server declares in other areas
 * (docs/admin-api.md): validation, discovered models, Bedrock quotas, team routing. Declared here
 * from the API contract until the server exports them through src/cli/admin-types.ts.
 */
import type { EndpointRecord } from '../../api/types.js';

export type RoutingStrategy = 'sticky_user' | 'round_robin' | 'priority' | 'least_utilized';

export interface RoutingView {
  team_id: string | null;
  team_name: string | null;
  strategy: RoutingStrategy;
  endpoints: Array<{ id: string; name: string }>;
  /** False: the team follows the default routing. */
  custom: boolean;
  updated_at: string | null;
}

export interface RoutingOverview {
  default: RoutingView;
  teams: RoutingView[];
}

export interface RoutingBody {
  strategy: RoutingStrategy;
  endpoint_ids: string[];
}

export interface ValidationCheck {
  name: 'credentials' | 'reachability' | 'models';
  ok: boolean;
  ms: number;
  detail: string | null;
}

export interface ValidationReport {
  ok: boolean;
  checks: ValidationCheck[];
}

export interface DiscoveredModel {
  id: string;
  display_name: string;
  created_at: string;
}

export interface ServiceQuota {
  code: string;
  name: string;
  value: number;
  unit: string;
  adjustable: boolean;
}

export interface QuotaReport {
  data: ServiceQuota[];
  fetched_at: string | null;
  /** Why no quotas are shown (an Anthropic endpoint, credentials without the permission), else null. */
  unavailable: string | null;
}

/** EndpointView.config with the Bedrock application inference profiles (model → ARN). */
export type EndpointWithProfiles = EndpointRecord & { config: EndpointRecord['config'] & { inference_profiles?: Record<string, string> } };
