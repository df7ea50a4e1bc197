/** GET /admin/system (admins): what the portal's System page shows; see src/telemetry/system-status.ts. */
import type { FastifyInstance } from 'fastify';
import { publicBaseOf } from '../identity/public-url.js';
import type { Probe, SystemReport } from '../telemetry/system-status.js';
import type { AdminDeps } from './plugin.js';

const presentProbe = (probe: Probe) => ({ status: probe.status, latency_ms: probe.latencyMs });

export function presentSystem(report: SystemReport, publicUrl: string) {
  return {
    version: report.version,
    /** What Claude Code's ANTHROPIC_BASE_URL should be. */
    public_url: publicUrl,
    uptime_s: report.uptimeSeconds,
    health: report.health,
    database: { ...presentProbe(report.database), dialect: report.database.dialect },
    redis: report.redis && presentProbe(report.redis),
    endpoints: { total: report.endpoints.total, enabled: report.endpoints.enabled, default: report.endpoints.default },
    authentication: {
      virtual_keys: true,
      admin_login: true,
      /** Enabled OIDC identity providers. */
      oidc: report.identityProviders.filter((idp) => idp.enabled).length,
      device_login: true,
    },
    identity_providers: report.identityProviders.map((idp) => ({
      name: idp.name,
      display_name: idp.displayName,
      issuer: idp.issuer,
      enabled: idp.enabled,
      scim_enabled: idp.scimEnabled,
    })),
    ledger: { queued: report.ledgerQueued },
  };
}

/** The system view as the admin API shows it (shared with the CLI). */
export type SystemView = ReturnType<typeof presentSystem>;

export function registerSystemRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/system', async (request) => presentSystem(await deps.system.report(), publicBaseOf(request, deps.publicUrl)));
}
