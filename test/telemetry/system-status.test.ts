/** The system view's probes: a database or Redis that fails or hangs makes the gateway degraded, never the answer late. */
import { describe, expect, test } from 'vitest';
import { createSystemStatus, type SystemStatusDeps } from '../../src/telemetry/system-status.js';

const STARTED = 1_000_000;

function status(overrides: Partial<SystemStatusDeps> = {}) {
  return createSystemStatus({
    version: '9.9.9',
    startedAt: STARTED,
    database: { dialect: 'sqlite', ping: async () => {} },
    endpoints: () => ({ total: 3, enabled: 2, default: 'bedrock-us' }),
    identityProviders: () => [{ name: 'okta', displayName: 'Okta', issuer: 'https://okta.example.com', enabled: true, scimEnabled: false }],
    ledgerQueued: () => 7,
    clock: () => STARTED + 90_500,
    probeTimeoutMs: 50,
    ...overrides,
  });
}

describe('system status', () => {
  test('healthy: every probe answers; the rest is read from memory', async () => {
    const report = await status({ redis: { ping: async () => 'PONG' } }).report();
    expect(report).toMatchObject({
      version: '9.9.9',
      uptimeSeconds: 90,
      health: 'healthy',
      database: { status: 'connected', dialect: 'sqlite' },
      redis: { status: 'connected' },
      endpoints: { total: 3, enabled: 2, default: 'bedrock-us' },
      identityProviders: [{ name: 'okta', enabled: true }],
      ledgerQueued: 7,
    });
    expect(report.database.latencyMs).toBeGreaterThanOrEqual(0);
  });

  test('no Redis configured: redis is null and does not count against health', async () => {
    expect(await status().report()).toMatchObject({ health: 'healthy', redis: null });
  });

  test('a failing database or a silent Redis makes it degraded', async () => {
    const down = await status({ database: { dialect: 'postgres', ping: () => Promise.reject(new Error('ECONNREFUSED')) } }).report();
    expect(down).toMatchObject({ health: 'degraded', database: { status: 'unreachable', latencyMs: null, dialect: 'postgres' } });
    const silent = await status({ redis: { ping: () => new Promise(() => {}) } }).report();
    expect(silent).toMatchObject({ health: 'degraded', database: { status: 'connected' }, redis: { status: 'unreachable', latencyMs: null } });
  });
});
