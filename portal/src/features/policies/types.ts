/** The /admin/policies answers the Policies page reads (docs/admin-api.md#policies). */
export type PolicyMode = 'first_match' | 'layered';

export interface PolicyRecord {
  id: string;
  name: string;
  position: number;
  match: { everyone: boolean; teams: { id: string; name: string | null }[]; groups: string[]; domains: string[] };
  allowed_models: string[] | null;
  default_model: string | null;
  settings: Record<string, unknown>;
  updated_at: string;
  updated_by: string | null;
  /** On saves: unknown settings keys, saved as written. */
  warnings?: string[];
}

export interface PolicyBody {
  name: string;
  match: { everyone: boolean; teams: string[]; groups: string[]; domains: string[] };
  allowed_models: string[] | null;
  default_model: string | null;
  settings: Record<string, unknown>;
}

export type DriftStatus = 'current' | 'stale' | 'unknown' | 'no_policy';

export interface DriftReport {
  since: string;
  summary: { sessions: number; current: number; stale: number; unknown: number; no_policy: number };
  users: { user_id: string; email: string | null; policies: string[]; stale: number; unknown: number; current: number; last_seen_at: string }[];
  sessions: { session_id: string; user_id: string; email: string | null; status: DriftStatus; checksum: string | null; expected_checksum: string | null; last_seen_at: string }[];
}
