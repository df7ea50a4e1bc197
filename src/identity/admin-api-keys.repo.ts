import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { containsText, fetchPage, textKey, valueKey, type Page, type PageRequest } from '../store/paging.js';
import type { AdminApiKeysTable, Database, UsersTable } from '../store/schema.js';

export type AdminApiKeyRow = Selectable<AdminApiKeysTable>;

/** A key joined with what listing and authentication need to know about its owner. */
export interface AdminApiKeyWithOwner extends AdminApiKeyRow {
  owner_email: string;
  owner_role: UsersTable['role'];
  owner_status: UsersTable['status'];
}

export type AdminApiKeySort = 'created_at' | 'name' | 'prefix' | 'owner_email' | 'status';

const SORT_KEYS = {
  created_at: valueKey('admin_api_keys.created_at'),
  name: textKey('admin_api_keys.name'),
  prefix: textKey('admin_api_keys.prefix'),
  owner_email: textKey('users.email'),
  status: textKey('admin_api_keys.status'),
};

export function createAdminApiKeysRepo(db: Kysely<Database>) {
  const withOwner = () =>
    db
      .selectFrom('admin_api_keys')
      .innerJoin('users', 'users.id', 'admin_api_keys.owner_id')
      .selectAll('admin_api_keys')
      .select(['users.email as owner_email', 'users.role as owner_role', 'users.status as owner_status']);

  return {
    async insert(fields: Pick<AdminApiKeyRow, 'key_hash' | 'prefix' | 'name' | 'owner_id'>): Promise<string> {
      const id = randomUUID();
      await db
        .insertInto('admin_api_keys')
        .values({ id, status: 'active', created_at: Date.now(), last_used_at: null, revoked_at: null, ...fields })
        .execute();
      return id;
    },

    /** A page of keys, active and revoked; `q` searches name, prefix and owner email. */
    page(request: PageRequest<AdminApiKeySort>): Promise<Page<AdminApiKeyWithOwner>> {
      const query = request.q ? withOwner().where(containsText(['admin_api_keys.name', 'admin_api_keys.prefix', 'users.email'], request.q)) : withOwner();
      return fetchPage(query, request, SORT_KEYS[request.sort], 'admin_api_keys.id');
    },

    findById: (id: string): Promise<AdminApiKeyWithOwner | undefined> => withOwner().where('admin_api_keys.id', '=', id).executeTakeFirst(),

    findByHash: (hash: string): Promise<AdminApiKeyWithOwner | undefined> => withOwner().where('admin_api_keys.key_hash', '=', hash).executeTakeFirst(),

    /** Conditional, so replicas racing on the same key still write at most once per interval. */
    async touch(id: string, now: number, minIntervalMs: number): Promise<void> {
      await db
        .updateTable('admin_api_keys')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - minIntervalMs)]))
        .execute();
    },

    async revoke(id: string): Promise<void> {
      await db.updateTable('admin_api_keys').set({ status: 'revoked', revoked_at: Date.now() }).where('id', '=', id).where('status', '=', 'active').execute();
    },
  };
}

export type AdminApiKeysRepo = ReturnType<typeof createAdminApiKeysRepo>;
