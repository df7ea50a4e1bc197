import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { containsText, fetchPage, textKey, valueKey, type Page, type PageRequest } from '../store/paging.js';
import type { ApiKeysTable, Database } from '../store/schema.js';

export type KeyRow = Selectable<ApiKeysTable>;

/** A key joined with what authentication needs to know about its owner, and its team's name. */
export interface KeyWithOwner extends KeyRow {
  user_email: string;
  user_status: 'active' | 'deactivated';
  user_updated_at: number;
  team_name: string | null;
}

/** A key's status as people see it: an active key past its expiry is `expired`. */
export type KeyStatus = 'active' | 'expired' | 'revoked';
export type KeySort = 'created_at' | 'prefix' | 'name' | 'user_email' | 'team_name' | 'status';

export interface KeyListFilter {
  userEmail?: string | undefined;
  teamId?: string | undefined;
  /** Any status; `revoked` lists revoked keys without `includeRevoked`. */
  status?: KeyStatus | undefined;
  includeRevoked?: boolean | undefined;
  /** The instant `expired` is judged at. */
  now: number;
}

/** The SQL twin of the presenter's status, so listings sort and filter by what they show. */
const statusAt = (now: number) =>
  sql<KeyStatus>`case when api_keys.status = 'revoked' then 'revoked' when api_keys.expires_at is not null and api_keys.expires_at <= ${now} then 'expired' else 'active' end`;

const SORT_KEYS = {
  created_at: valueKey('api_keys.created_at'),
  prefix: textKey('api_keys.prefix'),
  name: textKey('api_keys.name'),
  user_email: textKey('users.email'),
  team_name: textKey('teams.name'),
};

export function createKeysRepo(db: Kysely<Database>) {
  const withOwner = () =>
    db
      .selectFrom('api_keys')
      .innerJoin('users', 'users.id', 'api_keys.user_id')
      .leftJoin('teams', 'teams.id', 'api_keys.team_id')
      .selectAll('api_keys')
      .select(['users.email as user_email', 'users.status as user_status', 'users.updated_at as user_updated_at', 'teams.name as team_name']);

  return {
    async insert(fields: Pick<KeyRow, 'key_hash' | 'prefix' | 'name' | 'user_id' | 'team_id' | 'expires_at'>): Promise<KeyRow> {
      const now = Date.now();
      const row: KeyRow = { id: randomUUID(), status: 'active', created_at: now, updated_at: now, revoked_at: null, ...fields };
      await db.insertInto('api_keys').values(row).execute();
      return row;
    },

    list(filter: { userId?: string; includeRevoked?: boolean } = {}): Promise<KeyWithOwner[]> {
      let query = withOwner().orderBy('api_keys.created_at', 'desc');
      if (filter.userId) query = query.where('api_keys.user_id', '=', filter.userId);
      if (!filter.includeRevoked) query = query.where('api_keys.status', '=', 'active');
      return query.execute();
    },

    /** A page of keys; `q` searches prefix, name and owner email. */
    page(request: PageRequest<KeySort> & KeyListFilter): Promise<Page<KeyWithOwner>> {
      const status = statusAt(request.now);
      let query = withOwner();
      if (request.userEmail) query = query.where('users.email', '=', request.userEmail.toLowerCase());
      if (request.teamId) query = query.where('api_keys.team_id', '=', request.teamId);
      if (request.status) query = query.where(status, '=', request.status);
      else if (!request.includeRevoked) query = query.where('api_keys.status', '=', 'active');
      if (request.q) query = query.where(containsText(['api_keys.prefix', 'api_keys.name', 'users.email'], request.q));
      return fetchPage(query, request, request.sort === 'status' ? status : SORT_KEYS[request.sort], 'api_keys.id');
    },

    findById(id: string): Promise<KeyWithOwner | undefined> {
      return withOwner().where('api_keys.id', '=', id).executeTakeFirst();
    },

    /** Keys whose row or owner changed after `since` (epoch ms): the cache's refresh query. */
    changedSince(since: number): Promise<KeyWithOwner[]> {
      return withOwner()
        .where((eb) => eb.or([eb('api_keys.updated_at', '>', since), eb('users.updated_at', '>', since)]))
        .execute();
    },

    async revoke(id: string): Promise<boolean> {
      const now = Date.now();
      const result = await db
        .updateTable('api_keys')
        .set({ status: 'revoked', revoked_at: now, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type KeysRepo = ReturnType<typeof createKeysRepo>;
