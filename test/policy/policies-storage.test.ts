/**
 * Policies and session checksums on SQLite and PostgreSQL: CRUD, dense positions through moves and
 * deletes, the version every write moves (what replicas' mirrors probe), unique names, and the
 * drift recorder's batched upserts (first-seen kept, checksum and last-seen updated).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPoliciesRepo, type PolicyInput } from '../../src/policy/policies.repo.js';
import { createPoliciesService } from '../../src/policy/policies.service.js';
import { PolicyMirror } from '../../src/policy/policy-mirror.js';
import { createSessionChecksumsRepo, SessionChecksumRecorder } from '../../src/policy/session-checksums.js';
import type { Store } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const T0 = 1_760_000_000_000;
const input = (name: string, extra: Partial<PolicyInput> = {}): PolicyInput => ({
  name,
  match: { everyone: false, teams: [], groups: ['Engineering'], domains: ['example.com'] },
  allowedModels: ['claude-sonnet-4*'],
  defaultModel: 'claude-sonnet-4-5',
  settings: { env: { FOO: 'bär' }, permissions: { deny: ['WebFetch'] }, cleanupPeriodDays: 14 },
  ...extra,
});

describe.each(['sqlite', 'postgres'] as const)('policies storage on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  test('create, read back every field, update, move, delete: positions stay 1..n and the version always moves', async ({ skip }) => {
    if (!database) return skip();
    const repo = createPoliciesRepo(store.db);
    expect(await repo.mode()).toEqual({ mode: 'first_match', updatedAt: 0 });
    const a = await repo.create(input('a'), T0, 'admin@example.com');
    expect(a).toMatchObject({ name: 'a', position: 1, match: { everyone: false, teams: [], groups: ['Engineering'], domains: ['example.com'] }, allowedModels: ['claude-sonnet-4*'], defaultModel: 'claude-sonnet-4-5', settings: { env: { FOO: 'bär' }, permissions: { deny: ['WebFetch'] }, cleanupPeriodDays: 14 }, createdAt: T0, updatedBy: 'admin@example.com' });
    const v1 = await repo.version();
    const b = await repo.create(input('b', { allowedModels: null, defaultModel: null, match: { everyone: true, teams: [], groups: [], domains: [] } }), T0, null);
    const c = await repo.create(input('c'), T0, null);
    // Same millisecond, still a new version: a poll must not miss the second write.
    const v2 = await repo.version();
    expect(v2).toBeGreaterThan(v1);
    expect((await repo.list()).map((p) => [p.name, p.position])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect((await repo.find(b.id))!).toMatchObject({ allowedModels: null, defaultModel: null, match: { everyone: true } });

    expect(await repo.move(c.id, 1, T0 + 1, null)).toBe(true);
    expect((await repo.list()).map((p) => [p.name, p.position])).toEqual([['c', 1], ['a', 2], ['b', 3]]);
    expect(await repo.move(c.id, 99, T0 + 2, null)).toBe(true);
    expect((await repo.list()).map((p) => p.name)).toEqual(['a', 'b', 'c']);

    expect(await repo.delete(a.id, T0 + 3, null)).toBe(true);
    expect((await repo.list()).map((p) => [p.name, p.position])).toEqual([['b', 1], ['c', 2]]);
    expect(await repo.delete(a.id, T0 + 4, null)).toBe(false);
    const updated = await repo.update(b.id, input('b2'), T0 + 5, 'x');
    expect(updated).toMatchObject({ name: 'b2', position: 1, updatedAt: T0 + 5 });
    expect(await repo.update('missing', input('z'), T0, null)).toBeUndefined();

    await repo.setMode('layered', T0 + 6, 'x');
    expect((await repo.mode()).mode).toBe('layered');
  });

  test('the service refuses a duplicate name with a conflict and bad settings with a 400; the mirror follows every write', async ({ skip }) => {
    if (!database) return skip();
    const repo = createPoliciesRepo(store.db);
    const mirror = new PolicyMirror(repo);
    await mirror.refresh();
    const service = createPoliciesService({ repo, mirror, clock: () => T0 + 100 });
    const saved = await service.create(input('unique-name', { settings: { typoKey: 1 } }), null);
    expect(saved.warnings).toEqual([expect.stringContaining('settings.typoKey')]);
    expect(mirror.all().some((policy) => policy.name === 'unique-name')).toBe(true);
    await expect(service.create(input('unique-name'), null)).rejects.toMatchObject({ code: 'conflict', status: 409 });
    await expect(service.create(input('bad', { settings: { cleanupPeriodDays: 'x' } }), null)).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
    const generation = mirror.generation;
    await service.delete(saved.policy.id, null);
    expect(mirror.generation).toBeGreaterThan(generation);
    expect(mirror.all().some((policy) => policy.name === 'unique-name')).toBe(false);
  });

  test('session checksums: batched upserts keep the first-seen time and take the newest checksum', async ({ skip }) => {
    if (!database) return skip();
    const repo = createSessionChecksumsRepo(store.db);
    const writes: number[] = [];
    const recorder = new SessionChecksumRecorder({ upsert: async (rows) => (writes.push(rows.length), repo.upsert(rows)) });
    for (let i = 0; i < 450; i++) recorder.observe(`s-${i}`, 'user-1', 'sha256:old', T0);
    // Repeats of a known session with the same checksum are not writes.
    for (let i = 0; i < 1000; i++) recorder.observe('s-0', 'user-1', 'sha256:old', T0 + i);
    await recorder.flush();
    expect(writes).toEqual([200, 200, 50]);
    recorder.observe('s-1', 'user-1', 'sha256:new', T0 + 5_000);
    recorder.observe('s-2', 'user-1', null, T0 + 5_000);
    await recorder.flush();
    expect(writes).toEqual([200, 200, 50, 2]);
    // s-0's repeats were written once, as its latest last-seen time.
    expect((await repo.seenSince(T0 + 999, 10)).find((row) => row.session_id === 's-0')?.last_seen_at).toBe(T0 + 999);
    const rows = await repo.seenSince(T0 + 1_000, 10);
    expect(rows.map((row) => [row.session_id, row.checksum, row.first_seen_at, row.last_seen_at]).sort()).toEqual([
      ['s-1', 'sha256:new', T0, T0 + 5_000],
      ['s-2', null, T0, T0 + 5_000],
    ]);
    // After its write, a session's repeats within a minute are neither rewritten nor copied; a minute on, one write.
    for (let i = 0; i < 100; i++) recorder.observe('s-3', 'user-1', 'sha256:old', T0 + 10_000 + i);
    await recorder.flush();
    expect(writes).toEqual([200, 200, 50, 2]);
    recorder.observe('s-3', 'user-1', 'sha256:old', T0 + 60_000);
    await recorder.flush();
    expect(writes).toEqual([200, 200, 50, 2, 1]);
    await recorder.stop();
  });
});
