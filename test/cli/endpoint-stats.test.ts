/**
 * `ccag endpoints stats` and `ccag endpoints health`, in-process: stats against a real gateway
 * (SQLite) with seeded traffic and events; health against a stand-in that answers the
 * GET /admin/endpoints/health contract; the labels as pure functions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointHealthRecord } from '../../src/cli/admin-types.js';
import { percent, stateLabel, utilizationLabel } from '../../src/cli/commands/endpoint-stats.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { createEndpointEventsRepo } from '../../src/routing/endpoint-events.repo.js';
import { startGateway, type TestGateway } from '../support/gateway.js';

async function run(url: string, token: string, args: string[]) {
  const configDir = mkdtempSync(join(tmpdir(), 'ccag-cli-'));
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end();
  const io: CliIo = {
    env: { CCAG_CONFIG_DIR: configDir },
    stdin,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    now: () => new Date(),
  };
  try {
    const code = await runCli(['node', 'ccag', ...args, '--url', url, '--token', token], io);
    return { code, stdout, stderr };
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

describe('labels', () => {
  it('shows rates as percentages, a cooling endpoint with its end, utilization per window', () => {
    expect(percent(0.0123)).toBe('1.2%');
    expect(percent(null)).toBeNull();
    expect(stateLabel({ state: 'cooling', cooling_until: '2026-03-01T14:03:22.000Z' })).toBe('cooling until 14:03:22 UTC');
    expect(stateLabel({ state: 'probing', cooling_until: null })).toBe('probing');
    expect(utilizationLabel({ '5h': 0.42, '7d': 0.081 })).toBe('5h 42%, 7d 8%');
    expect(utilizationLabel({})).toBeNull();
  });
});

describe('ccag endpoints stats (sqlite)', () => {
  let gw: TestGateway | undefined;
  let token: string;

  beforeAll(async () => {
    gw = await startGateway({ database: 'sqlite' });
    token = await gw!.adminToken();
    const { id } = await gw!.addEndpoint({ kind: 'anthropic', name: 'primary', api_key: 'sk-ant-test' });
    await gw!.addEndpoint({ kind: 'anthropic', name: 'spare', api_key: 'sk-ant-test', priority: 500 });
    const now = Date.now();
    await createEndpointEventsRepo(gw!.store.db).insertMany([
      { endpointId: id, kind: 'throttle', reason: 'throttled', durationMs: null, at: now - 60_000 },
      { endpointId: id, kind: 'cooldown', reason: 'throttled', durationMs: 10_000, at: now - 60_000 },
      // Two days ago: outside 24h, inside 7d.
      { endpointId: id, kind: 'failover', reason: 'unreachable', durationMs: null, at: now - 2 * 86_400_000 },
    ]);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('prints every endpoint with its counts for the last 24 hours by default', async () => {
    const result = await run(gw!.url, token, ['endpoints', 'stats']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Endpoints from \d{4}-\d\d-\d\d \d\d:\d\d to .* UTC$/);
    expect(lines[2]).toMatch(/^ENDPOINT\s+REQUESTS\s+ERRORS\s+ERR %\s+AVG LAT\s+P99 LAT\s+THROTTLES\s+COOLDOWNS\s+FAILOVERS\s+CACHE HIT$/);
    expect(lines[3]!.split(/\s+/)).toEqual(['primary', '0', '0', '-', '-', '-', '1', '1', '0', '-']);
    expect(lines[4]!.split(/\s+/)).toEqual(['spare', '0', '0', '-', '-', '-', '0', '0', '0', '-']);
  });

  it('--range 7d --json prints the API answer', async () => {
    const result = await run(gw!.url, token, ['endpoints', 'stats', '--range', '7d', '--json']);
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout) as { from: string; to: string; data: Array<{ name: string; failovers: number }> };
    expect(Date.parse(stats.to) - Date.parse(stats.from)).toBe(7 * 86_400_000);
    expect(stats.data.map((row) => [row.name, row.failovers])).toEqual([['primary', 1], ['spare', 0]]);
  });

  it('refuses an unknown range as a usage error', async () => {
    const result = await run(gw!.url, token, ['endpoints', 'stats', '--range', '1y']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument '1y' is invalid");
  });
});

describe('ccag endpoints health', () => {
  let server: Server;
  let url: string;
  const health: EndpointHealthRecord[] = [
    {
      id: 'e1', name: 'primary', kind: 'anthropic', enabled: true, state: 'cooling', cooling_until: '2026-03-01T14:03:22.000Z',
      consecutive_throttles: 3, in_flight: 2, utilization: { '5h': 0.5, '7d': 0.1 }, last_check_at: '2026-03-01T14:02:00.000Z', last_error: 'throttled',
    },
    {
      id: 'e2', name: 'spare', kind: 'bedrock', enabled: false, state: 'disabled', cooling_until: null,
      consecutive_throttles: 0, in_flight: 0, utilization: {}, last_check_at: null, last_error: null,
    },
  ];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const ok = request.url === '/admin/endpoints/health' && request.headers.authorization === 'Bearer t0ken';
      response.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(ok ? { data: health } : { error: { code: 'not_found', message: 'Not found' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('prints each endpoint with its state, in-flight requests and utilization', async () => {
    const result = await run(url, 't0ken', ['endpoints', 'health']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^primary\s+anthropic\s+cooling until 14:03:22 UTC\s+2\s+3\s+5h 50%, 7d 10%\s+2026-03-01 14:02\s+throttled$/);
    expect(lines[2]).toMatch(/^spare\s+bedrock\s+disabled\s+0\s+0\s+-\s+-\s+-$/);
  });
});
