/**
 * The admin API's SQL-backed lists (users, keys, teams, admin API keys) on SQLite and PostgreSQL:
 * the same query must filter, search, sort and page identically on both, whatever each dialect
 * does by default with case, NULLs and LIKE's wildcards.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAdminApiKeysRepo } from '../../src/identity/admin-api-keys.repo.js';
import { createKeysRepo } from '../../src/identity/keys.repo.js';
import { createSubjectNamesRepo } from '../../src/identity/subject-names.repo.js';
import { createTeamsRepo } from '../../src/identity/teams.repo.js';
import { createUsersRepo } from '../../src/identity/users.repo.js';
import type { Store } from '../../src/store/database.js';
import type { ApiKeysTable, UsersTable } from '../../src/store/schema.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const NOW = Date.now();
const page = { order: 'asc', limit: 100, offset: 0 } as const;

function user(id: string, fields: Partial<UsersTable>): UsersTable {
  return {
    id,
    email: `${id}@example.com`,
    display_name: null,
    role: 'member',
    status: 'active',
    team_id: null,
    password_hash: null,
    created_at: 1000,
    updated_at: 1000,
    deleted_at: null,
    idp_id: null,
    scim_idp_id: null,
    scim_external_id: null,
    ...fields,
  };
}

function key(id: string, fields: Partial<ApiKeysTable> & Pick<ApiKeysTable, 'user_id'>): ApiKeysTable {
  return { id, key_hash: `hash-${id}`, prefix: `sk-ccag-${id}`, name: null, team_id: null, status: 'active', expires_at: null, created_at: 1000, updated_at: 1000, revoked_at: null, ...fields };
}

describe.each(['sqlite', 'postgres'] as const)('SQL list pages on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
    const db = store.db;
    // Lower-case "alpha" and upper-case "Beta": a binary collation would put Beta first.
    await db
      .insertInto('teams')
      .values([
        { id: 't-alpha', name: 'alpha', created_at: 1, updated_at: 1 },
        { id: 't-beta', name: 'Beta', created_at: 2, updated_at: 2 },
        { id: 't-gamma', name: 'Gamma', created_at: 3, updated_at: 3 },
      ])
      .execute();
    await db
      .insertInto('users')
      .values([
        user('ann', { display_name: 'Ann', role: 'admin', team_id: 't-alpha', created_at: 1000 }),
        user('bob_smith', { display_name: 'Bob', team_id: 't-beta', created_at: 3000 }),
        user('carl', { display_name: '100% Carl', status: 'deactivated', created_at: 2000 }),
        user('dora', { team_id: 't-alpha', created_at: 4000 }),
        user('gone', { email: 'deleted:gone:gone@example.com', deleted_at: 5000, created_at: 5000 }),
      ])
      .execute();
    await db
      .insertInto('api_keys')
      .values([
        key('k1', { user_id: 'ann', name: 'laptop', team_id: 't-alpha', created_at: 1000 }),
        key('k2', { user_id: 'bob_smith', team_id: 't-beta', expires_at: NOW - 1, created_at: 2000 }),
        key('k3', { user_id: 'ann', name: 'old', status: 'revoked', revoked_at: 3500, created_at: 3000 }),
        key('k4', { user_id: 'dora', name: 'CI_runner', expires_at: NOW + 86_400_000, created_at: 4000 }),
      ])
      .execute();
    await db
      .insertInto('admin_api_keys')
      .values([
        { id: 'a1', key_hash: 'h1', prefix: 'ccag-admin-111111', name: 'deploy', owner_id: 'ann', status: 'active', created_at: 1000, last_used_at: null, revoked_at: null },
        { id: 'a2', key_hash: 'h2', prefix: 'ccag-admin-222222', name: 'Backup', owner_id: 'dora', status: 'revoked', created_at: 2000, last_used_at: null, revoked_at: 2500 },
      ])
      .execute();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  describe('users', () => {
    const ids = async (request: Partial<Parameters<ReturnType<typeof createUsersRepo>['page']>[0]>) => {
      const result = await createUsersRepo(store.db).page({ sort: 'email', ...page, ...request });
      return { ids: result.rows.map((row) => row.id), total: result.total };
    };

    test('live users only, by email; a page of them with the total before paging', async ({ skip }) => {
      if (!database) return skip();
      expect(await ids({})).toEqual({ ids: ['ann', 'bob_smith', 'carl', 'dora'], total: 4 });
      expect(await ids({ limit: 2, offset: 1 })).toEqual({ ids: ['bob_smith', 'carl'], total: 4 });
      expect(await ids({ offset: 10 })).toEqual({ ids: [], total: 4 });
      expect(await ids({ sort: 'created_at', order: 'desc' })).toEqual({ ids: ['dora', 'bob_smith', 'carl', 'ann'], total: 4 });
    });

    test('q matches email or display name ignoring case; % and _ match themselves', async ({ skip }) => {
      if (!database) return skip();
      expect((await ids({ q: 'ANN' })).ids).toEqual(['ann']);
      expect((await ids({ q: 'bob' })).ids).toEqual(['bob_smith']);
      expect((await ids({ q: '_' })).ids).toEqual(['bob_smith']);
      expect((await ids({ q: '%' })).ids).toEqual(['carl']);
      expect(await ids({ q: 'nobody' })).toEqual({ ids: [], total: 0 });
    });

    test('filters by team, status and role', async ({ skip }) => {
      if (!database) return skip();
      expect((await ids({ teamId: 't-alpha' })).ids).toEqual(['ann', 'dora']);
      expect((await ids({ status: 'deactivated' })).ids).toEqual(['carl']);
      expect((await ids({ role: 'admin' })).ids).toEqual(['ann']);
    });

    test('team names sort without case, users without a team last in either order, ties by id', async ({ skip }) => {
      if (!database) return skip();
      expect((await ids({ sort: 'team_name' })).ids).toEqual(['ann', 'dora', 'bob_smith', 'carl']);
      expect((await ids({ sort: 'team_name', order: 'desc' })).ids).toEqual(['bob_smith', 'ann', 'dora', 'carl']);
    });
  });

  describe('keys', () => {
    const ids = async (request: Partial<Parameters<ReturnType<typeof createKeysRepo>['page']>[0]>) => {
      const result = await createKeysRepo(store.db).page({ sort: 'created_at', order: 'desc', limit: 100, offset: 0, now: NOW, ...request });
      return { ids: result.rows.map((row) => row.id), total: result.total };
    };

    test('newest first, revoked keys only when asked, with the team name', async ({ skip }) => {
      if (!database) return skip();
      expect(await ids({})).toEqual({ ids: ['k4', 'k2', 'k1'], total: 3 });
      expect(await ids({ includeRevoked: true })).toEqual({ ids: ['k4', 'k3', 'k2', 'k1'], total: 4 });
      const rows = (await createKeysRepo(store.db).page({ sort: 'prefix', ...page, now: NOW })).rows;
      expect(rows.map((row) => [row.id, row.team_name, row.user_email])).toEqual([
        ['k1', 'alpha', 'ann@example.com'],
        ['k2', 'Beta', 'bob_smith@example.com'],
        ['k4', null, 'dora@example.com'],
      ]);
    });

    test('status as shown: an active key past its expiry is expired', async ({ skip }) => {
      if (!database) return skip();
      expect((await ids({ status: 'expired' })).ids).toEqual(['k2']);
      expect((await ids({ status: 'active' })).ids).toEqual(['k4', 'k1']);
      expect((await ids({ status: 'revoked' })).ids).toEqual(['k3']);
      expect((await ids({ includeRevoked: true, sort: 'status', order: 'asc' })).ids).toEqual(['k1', 'k4', 'k2', 'k3']);
    });

    test('q over prefix, name and owner email; filters by owner and team; names sort with NULLs last', async ({ skip }) => {
      if (!database) return skip();
      expect((await ids({ q: 'ci_' })).ids).toEqual(['k4']);
      expect((await ids({ q: 'BOB' })).ids).toEqual(['k2']);
      expect((await ids({ q: 'sk-ccag-k1' })).ids).toEqual(['k1']);
      expect((await ids({ userEmail: 'ANN@example.com', includeRevoked: true })).ids).toEqual(['k3', 'k1']);
      expect((await ids({ teamId: 't-beta' })).ids).toEqual(['k2']);
      expect((await ids({ sort: 'name', order: 'asc' })).ids).toEqual(['k4', 'k1', 'k2']);
      expect((await ids({ sort: 'name', order: 'desc' })).ids).toEqual(['k1', 'k4', 'k2']);
      expect((await ids({ sort: 'team_name', order: 'asc' })).ids).toEqual(['k1', 'k2', 'k4']);
    });
  });

  describe('teams', () => {
    const names = async (request: Partial<Parameters<ReturnType<typeof createTeamsRepo>['page']>[0]>) => {
      const result = await createTeamsRepo(store.db).page({ sort: 'name', ...page, ...request });
      return { names: result.rows.map((row) => row.name), total: result.total };
    };

    test('by name without case, by counts (ties by id), searched and paged', async ({ skip }) => {
      if (!database) return skip();
      expect(await names({})).toEqual({ names: ['alpha', 'Beta', 'Gamma'], total: 3 });
      expect((await names({ sort: 'member_count', order: 'desc' })).names).toEqual(['alpha', 'Beta', 'Gamma']);
      expect((await names({ sort: 'key_count', order: 'desc' })).names).toEqual(['alpha', 'Beta', 'Gamma']);
      expect((await names({ sort: 'created_at', order: 'desc', limit: 1, offset: 1 }))).toEqual({ names: ['Beta'], total: 3 });
      expect(await names({ q: 'ET' })).toEqual({ names: ['Beta'], total: 1 });
      const [alpha] = (await createTeamsRepo(store.db).page({ sort: 'name', ...page, limit: 1 })).rows;
      expect(alpha).toMatchObject({ member_count: 2, key_count: 1 });
    });

    test('limit null reads every matching team', async ({ skip }) => {
      if (!database) return skip();
      expect(await names({ limit: null, offset: 2 })).toEqual({ names: ['alpha', 'Beta', 'Gamma'], total: 3 });
    });
  });

  describe('admin API keys', () => {
    test('sorted by owner, searched by name, prefix or owner', async ({ skip }) => {
      if (!database) return skip();
      const repo = createAdminApiKeysRepo(store.db);
      const ids = async (request: Partial<Parameters<typeof repo.page>[0]>) => (await repo.page({ sort: 'created_at', order: 'desc', limit: 100, offset: 0, ...request })).rows.map((row) => row.id);
      expect(await ids({})).toEqual(['a2', 'a1']);
      expect(await ids({ sort: 'owner_email', order: 'asc' })).toEqual(['a1', 'a2']);
      expect(await ids({ sort: 'name', order: 'asc' })).toEqual(['a2', 'a1']);
      expect(await ids({ q: 'backup' })).toEqual(['a2']);
      expect(await ids({ q: '111' })).toEqual(['a1']);
      expect(await ids({ q: 'DORA' })).toEqual(['a2']);
      expect((await repo.page({ sort: 'status', order: 'asc', limit: 1, offset: 0 })).total).toBe(2);
    });
  });

  describe('subject names', () => {
    test('names by id (deleted users too), and ids by a piece of their name', async ({ skip }) => {
      if (!database) return skip();
      const names = createSubjectNamesRepo(store.db);
      const found = await names.of({ user: ['ann', 'gone', 'nobody'], team: ['t-beta'], key: ['k4'] });
      expect(Object.fromEntries(found.user)).toEqual({ ann: 'ann@example.com', gone: 'deleted:gone:gone@example.com' });
      expect(Object.fromEntries(found.team)).toEqual({ 't-beta': 'Beta' });
      expect(Object.fromEntries(found.key)).toEqual({ k4: 'sk-ccag-k4' });
      const matching = await names.matching('A');
      expect({ user: [...matching.user].sort(), team: [...matching.team].sort(), key: matching.key }).toEqual({
        user: ['ann', 'bob_smith', 'carl', 'dora', 'gone'],
        team: ['t-alpha', 't-beta', 't-gamma'],
        key: ['k1', 'k2', 'k3', 'k4'],
      });
      expect(await names.matching('beta')).toEqual({ user: [], team: ['t-beta'], key: [] });
    });
  });
});
