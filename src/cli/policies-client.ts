/**
 * The admin API's /admin/policies routes for `ccag policies` (docs/admin-api.md#policies), on the
 * shared AdminClient. The record types mirror the API's answers.
 */
import type { AdminClient } from './admin-client.js';

export interface PolicyRecord {
  id: string;
  name: string;
  position: number;
  match: { everyone: boolean; teams: { id: string; name: string | null }[]; groups: string[]; domains: string[] };
  allowed_models: string[] | null;
  default_model: string | null;
  settings: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
  /** On saves: unknown settings keys, saved as written. */
  warnings?: string[];
}

export interface PolicyBody {
  name?: string;
  match?: { everyone: boolean; teams: string[]; groups: string[]; domains: string[] };
  allowed_models?: string[] | null;
  default_model?: string | null;
  settings?: Record<string, unknown>;
}

export type PolicyMode = 'first_match' | 'layered';

export interface ResolveRecord {
  user: { id: string; email: string; team_id: string | null; groups: string[] };
  mode: PolicyMode;
  matching: { id: string; name: string; position: number }[];
  effective: {
    policies: { id: string; name: string; position: number }[];
    allowlists: { policy: string; models: string[] }[];
    default_model: string | null;
    dropped_default_models: { model: string; policy: string; refused_by: string }[];
    uuid: string;
    checksum: string;
    settings: Record<string, unknown>;
  } | null;
}

export type DriftStatus = 'current' | 'stale' | 'unknown' | 'no_policy';

export interface DriftRecord {
  since: string;
  summary: { sessions: number; current: number; stale: number; unknown: number; no_policy: number };
  users: { user_id: string; email: string | null; policies: string[]; expected_checksum: string | null; stale: number; unknown: number; current: number; last_seen_at: string }[];
  sessions: { session_id: string; user_id: string; email: string | null; status: DriftStatus; checksum: string | null; expected_checksum: string | null; first_seen_at: string; last_seen_at: string }[];
}

const path = (id: string) => `/admin/policies/${encodeURIComponent(id)}`;

export function policiesClient(client: AdminClient) {
  return {
    list: () => client.listAll<PolicyRecord>('/admin/policies', 'policies'),
    get: (id: string) => client.send<PolicyRecord>('GET', path(id), { auth: true }),
    create: (body: PolicyBody) => client.send<PolicyRecord>('POST', '/admin/policies', { auth: true, body }),
    update: (id: string, body: PolicyBody) => client.send<PolicyRecord>('PATCH', path(id), { auth: true, body }),
    delete: (id: string) => client.send<void>('DELETE', path(id), { auth: true }),
    move: (id: string, position: number) => client.send<{ data: PolicyRecord[] }>('POST', `${path(id)}/move`, { auth: true, body: { position } }),
    mode: () => client.send<{ mode: PolicyMode }>('GET', '/admin/policies/settings', { auth: true }),
    setMode: (mode: PolicyMode) => client.send<{ mode: PolicyMode }>('PUT', '/admin/policies/settings', { auth: true, body: { mode } }),
    resolve: (user: string) => client.send<ResolveRecord>('GET', '/admin/policies/resolve', { auth: true, query: { user } }),
    drift: (query: { hours?: number; all?: boolean }) =>
      client.send<DriftRecord>('GET', '/admin/policies/drift', { auth: true, query: { hours: query.hours?.toString(), all: query.all ? 'true' : undefined } }),
  };
}
