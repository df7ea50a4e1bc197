// Wire shape of GET /admin/system (portal-contract §2).

export interface SystemAuthentication {
  virtual_keys: boolean;
  admin_login: boolean;
  /** How many identity providers are enabled. */
  oidc: number;
  device_login: boolean;
}

export interface SystemIdentityProvider {
  name: string;
  display_name: string;
  issuer: string;
  enabled: boolean;
  scim_enabled: boolean;
}

export interface SystemInfo {
  version: string;
  /** CCAG_PUBLIC_URL, else the request's own origin. */
  public_url: string;
  uptime_s: number;
  health: 'healthy' | 'degraded';
  database: { status: 'connected' | 'unreachable'; dialect: 'sqlite' | 'postgres'; latency_ms: number | null };
  /** Null when no Redis is configured. */
  redis: { status: 'connected' | 'unreachable'; latency_ms: number | null } | null;
  /** `default` is the default endpoint (its name) or how many there are: the contract leaves it open, the page shows either. */
  endpoints: { total: number; enabled: number; default: string | number | null };
  authentication: SystemAuthentication;
  identity_providers: SystemIdentityProvider[];
  /** Ledger rows accepted but not yet written to the database. */
  ledger: { queued: number };
}
