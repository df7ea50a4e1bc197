import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, Database } from '../store/schema.js';

export type KeyRow = Selectable<ApiKeysTable>;

/** A key joined with what authentication needs to know about its owner. */
export interface KeyWithOwner extends KeyRow {
  user_email: string;
  user_status: 'active' | 'deactivated';
  user_updated_at: number;
}

export function createKeysRepo(db: Kysely<Database>) {
  const withOwner = () =>
    db
      .selectFrom('api_keys')
      .innerJoin('users', 'users.id', 'api_keys.user_id')
      .selectAll('api_keys')
      .select(['users.email as user_email', 'users.status as user_status', 'users.updated_at as user_updated_at']);

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
