/**
 * `npm run bench:scale`: does admission stay flat as the directory grows? For each size (none, a
 * tenth, and the full 100,000 keys, 50,000 users, 2,000 teams, 10,000 budgets), on SQLite:
 *
 *   1. a gateway migrates a fresh database and creates the bench key (and its user's budget);
 *   2. the rows are written straight into the database (one transaction), the gateway restarted:
 *      its start time (spawn → /health) and RSS after start;
 *   3. small streamed requests at 8 connections: gateway CPU per request (admission = key lookup,
 *      budget reservation, ledger) must not grow with the directory — no per-request scan;
 *   4. a second replica on the same database: a key revoked through the first is refused by the
 *      second after how long (the change-propagation path of docs/replicas.md).
 *
 * Gateway on core BENCH_GATEWAY_CPU, mock and load on BENCH_LOAD_CPU, as in `npm run bench`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SMALL_BODY, CLAUDE_CODE_HEADERS } from './bodies.js';
import { killAll, removeOnExit, removeWorkDir } from './children.js';
import { setBudget } from './governed.js';
import { rowOf } from './measure.js';
import { memoryOf } from './procfs.js';
import { mb, table } from './report.js';
import { runLoad } from './scenarios.js';
import { adminToken, createVirtualKey, json, preflight, startGateway, startMock, type Gateway, type Mock } from './services.js';
import { numberEnv } from './settings.js';

const FULL = { keys: 100_000, users: 50_000, teams: 2_000, budgets: 10_000 };
const DURATION = numberEnv('BENCH_DURATION', 10, 1);
const FRACTIONS = (process.env.BENCH_SCALE_FRACTIONS ?? '0,0.1,1').split(',').map(Number);

interface Size {
  keys: number;
  users: number;
  teams: number;
  budgets: number;
}

interface ScaleRow {
  size: Size;
  startMs: number;
  startRssMb: number | null;
  requestsPerSecond: number;
  cpuPerRequestUs: number | null;
  errors: number;
  peakRssMb: number | null;
  revocationSeenAfterMs: number;
}

/** The directory written straight into SQLite: teams, users spread over them, their keys, user budgets. */
function seed(file: string, size: Size): void {
  const db = new Database(file);
  try {
    const now = Date.now();
    const template = db.prepare("SELECT period, time_zone, policy, rules, strict FROM budgets WHERE deleted_at IS NULL LIMIT 1").get() as
      | { period: string; time_zone: string; policy: string; rules: string; strict: number }
      | undefined;
    if (!template) throw new Error('the bench budget is missing');
    const team = db.prepare('INSERT INTO teams (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
    const user = db.prepare(
      "INSERT INTO users (id, email, display_name, role, status, team_id, password_hash, created_at, updated_at, deleted_at, idp_id, scim_idp_id, scim_external_id) VALUES (?, ?, NULL, 'member', 'active', ?, NULL, ?, ?, NULL, NULL, NULL, NULL)",
    );
    const key = db.prepare(
      "INSERT INTO api_keys (id, key_hash, prefix, name, user_id, team_id, status, expires_at, created_at, updated_at, revoked_at) VALUES (?, ?, ?, 'scale', ?, ?, 'active', NULL, ?, ?, NULL)",
    );
    const budget = db.prepare(
      "INSERT INTO budgets (id, subject_type, subject_id, amount_micros, period, time_zone, policy, rules, strict, created_at, updated_at, deleted_at) VALUES (?, 'user', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
    );
    db.transaction(() => {
      const teams = Array.from({ length: size.teams }, (_, i) => {
        const id = randomUUID();
        team.run(id, `scale-team-${i}`, now, now);
        return id;
      });
      const users = Array.from({ length: size.users }, (_, i) => {
        const id = randomUUID();
        user.run(id, `scale-${i}@example.com`, teams.length ? teams[i % teams.length]! : null, now, now);
        return { id, team: teams.length ? teams[i % teams.length]! : null };
      });
      for (let i = 0; i < size.keys; i++) {
        const owner = users[i % users.length]!;
        key.run(randomUUID(), randomBytes(32).toString('hex'), `sk-ccag-${randomBytes(3).toString('hex')}`, owner.id, owner.team, now, now);
      }
      for (let i = 0; i < size.budgets; i++) {
        budget.run(randomUUID(), users[i]!.id, 1_000_000_000_000, template.period, template.time_zone, template.policy, template.rules, template.strict, now, now);
      }
    })();
  } finally {
    db.close();
  }
}

async function revokeAndWait(first: Gateway, second: Gateway): Promise<number> {
  const token = await adminToken(first.url);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const victim = await json<{ id: string; key: string }>(
    await fetch(`${first.url}/admin/keys`, { method: 'POST', headers, body: JSON.stringify({ user_email: 'bench@example.com', name: 'to revoke' }) }),
    'key creation',
    201,
  );
  const ask = () => fetch(`${second.url}/v1/models`, { headers: { 'x-api-key': victim.key } }).then(async (r) => (await r.arrayBuffer(), r.status));
  for (let i = 0; i < 200 && (await ask()) !== 200; i++) await new Promise((done) => setTimeout(done, 50));
  const revokedAt = performance.now();
  await json(await fetch(`${first.url}/admin/keys/${victim.id}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }), 'key revocation', 200);
  while ((await ask()) === 200) {
    if (performance.now() - revokedAt > 30_000) throw new Error('the second replica still accepts the revoked key after 30 s');
    await new Promise((done) => setTimeout(done, 10));
  }
  return performance.now() - revokedAt;
}

async function measure(mock: Mock, workDir: string, size: Size, bodyFile: string): Promise<ScaleRow> {
  const dir = mkdtempSync(join(workDir, 'scale-'));
  const first = await startGateway(mock, dir, undefined);
  const key = await createVirtualKey(first.url);
  await setBudget(first.url);
  first.child.kill('SIGTERM');
  await first.exited;
  seed(join(first.dataDir, 'ccag.db'), size);

  const started = performance.now();
  const gateway = await startGateway(mock, dir, undefined, {}, 300_000);
  const startMs = performance.now() - started;
  const startRss = memoryOf(gateway.pid);
  const load = await runLoad(
    { url: `${gateway.url}/v1/messages`, headers: { ...CLAUDE_CODE_HEADERS, 'x-api-key': key }, bodyFile, connections: 8, warmupSeconds: 2, durationSeconds: DURATION },
    join(dir, 'spec.json'),
    { gateway: gateway.pid, mock: mock.pid },
  );
  const row = rowOf({ id: 'scale', title: 'scale', body: 'small', target: 'gateway', connections: 8 }, SMALL_BODY.length, load, memoryOf(gateway.pid));
  // A second replica on the same database file, PORT chosen afresh by startGateway.
  const second = await startGateway(mock, dir, undefined, {}, 300_000);
  const revocationSeenAfterMs = await revokeAndWait(gateway, second);
  for (const g of [gateway, second]) g.child.kill('SIGTERM');
  await Promise.all([gateway.exited, second.exited]);
  return {
    size,
    startMs,
    startRssMb: mb(startRss?.rss),
    requestsPerSecond: row.requestsPerSecond,
    cpuPerRequestUs: row.gatewayCpuPerRequestUs,
    errors: row.errors.total,
    peakRssMb: row.gatewayPeakRssMb,
    revocationSeenAfterMs,
  };
}

async function main(): Promise<void> {
  preflight();
  const workDir = mkdtempSync(join(tmpdir(), 'ccag-bench-scale-'));
  removeOnExit(workDir);
  const bodyFile = join(workDir, 'small.json');
  writeFileSync(bodyFile, SMALL_BODY);
  const mock = await startMock();
  const rows: ScaleRow[] = [];
  for (const fraction of FRACTIONS) {
    const size = Object.fromEntries(Object.entries(FULL).map(([k, v]) => [k, Math.round(v * fraction)])) as unknown as Size;
    process.stderr.write(`bench:scale: ${size.keys} keys, ${size.users} users, ${size.teams} teams, ${size.budgets} budgets ...\n`);
    rows.push(await measure(mock, workDir, size, bodyFile));
  }
  mock.child.kill('SIGTERM');
  const base = rows[0]?.cpuPerRequestUs ?? null;
  process.stdout.write(
    `\n${table(
      ['keys', 'users', 'teams', 'budgets', 'start', 'RSS at start', 'req/s (c8)', 'CPU/req', 'vs smallest', 'peak RSS', 'errors', 'revocation seen by replica 2'],
      rows.map((r) => [
        String(r.size.keys),
        String(r.size.users),
        String(r.size.teams),
        String(r.size.budgets),
        `${Math.round(r.startMs)} ms`,
        `${r.startRssMb?.toFixed(1) ?? '?'} MB`,
        String(Math.round(r.requestsPerSecond)),
        r.cpuPerRequestUs === null ? '-' : `${Math.round(r.cpuPerRequestUs)} µs`,
        base && r.cpuPerRequestUs ? `${(r.cpuPerRequestUs / base).toFixed(2)}×` : '-',
        `${r.peakRssMb?.toFixed(1) ?? '?'} MB`,
        String(r.errors),
        `${Math.round(r.revocationSeenAfterMs)} ms`,
      ]),
      [true, true, true, true, true, true, true, true, true, true, true, true],
    )}\n\nCPU/req: gateway CPU per admitted request (key lookup, budget reservation and settlement, ledger); flat = no per-request scan.\n`,
  );
}

main().then(
  () => {
    killAll();
    removeWorkDir();
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`\nbench:scale failed: ${(error as Error).stack ?? String(error)}\n`);
    killAll();
    process.exit(1);
  },
);
