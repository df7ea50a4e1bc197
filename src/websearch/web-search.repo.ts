/**
 * Web search settings as stored (migration 0013): one provider row per owner ('global' or a user
 * id) and the mode row. The only module that queries these tables.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { ProviderType } from './providers/types.js';

export const WEB_SEARCH_MODES = ['disabled', 'global', 'per_user'] as const;
export type WebSearchMode = (typeof WEB_SEARCH_MODES)[number];

/** The owner of the gateway's own provider; every other owner is a user id. */
export const GLOBAL_OWNER = 'global';

export interface StoredProvider {
  readonly owner: string;
  readonly type: ProviderType;
  readonly baseUrl: string | null;
  readonly apiKeySealed: string | null;
  readonly maxResults: number;
  readonly updatedAt: number;
}

export interface StoredWebSearch {
  /** null until an admin first sets the mode. */
  readonly mode: { readonly mode: WebSearchMode; readonly updatedAt: number } | null;
  readonly providers: readonly StoredProvider[];
}

export function createWebSearchRepo(db: Kysely<Database>) {
  /** Always moves, even twice in one millisecond, so polling replicas never miss a change. */
  const nextVersion = (previous: number | undefined, now: number) => Math.max(now, previous === undefined ? 0 : Number(previous) + 1);

  return {
    async load(): Promise<StoredWebSearch> {
      const [mode, rows] = await Promise.all([
        db.selectFrom('web_search_settings').selectAll().where('id', '=', GLOBAL_OWNER).executeTakeFirst(),
        db.selectFrom('web_search_providers').selectAll().execute(),
      ]);
      return {
        mode: mode ? { mode: mode.mode, updatedAt: Number(mode.updated_at) } : null,
        providers: rows.map((row) => ({
          owner: row.owner,
          type: row.type,
          baseUrl: row.base_url,
          apiKeySealed: row.api_key_sealed,
          maxResults: row.max_results,
          updatedAt: Number(row.updated_at),
        })),
      };
    },

    async setMode(mode: WebSearchMode, now: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const previous = await trx.selectFrom('web_search_settings').select('updated_at').where('id', '=', GLOBAL_OWNER).executeTakeFirst();
        const updated_at = nextVersion(previous?.updated_at, now);
        await trx.insertInto('web_search_settings').values({ id: GLOBAL_OWNER, mode, updated_at })
          .onConflict((oc) => oc.column('id').doUpdateSet({ mode, updated_at })).execute();
      });
    },

    async putProvider(provider: Omit<StoredProvider, 'updatedAt'>, now: number): Promise<StoredProvider> {
      return db.transaction().execute(async (trx) => {
        const previous = await trx.selectFrom('web_search_providers').select('updated_at').where('owner', '=', provider.owner).executeTakeFirst();
        const updatedAt = nextVersion(previous?.updated_at, now);
        const values = { type: provider.type, base_url: provider.baseUrl, api_key_sealed: provider.apiKeySealed, max_results: provider.maxResults, updated_at: updatedAt };
        await trx.insertInto('web_search_providers').values({ owner: provider.owner, ...values })
          .onConflict((oc) => oc.column('owner').doUpdateSet(values)).execute();
        return { ...provider, updatedAt };
      });
    },

    async removeProvider(owner: string): Promise<boolean> {
      const result = await db.deleteFrom('web_search_providers').where('owner', '=', owner).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /**
     * Changes on any write or removal: a removed provider leaves no row, so the count and the sum
     * of updated_at are compared rather than the latest updated_at alone.
     */
    async version(): Promise<string> {
      const [providers, mode] = await Promise.all([
        db.selectFrom('web_search_providers').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('updated_at').as('total')]).executeTakeFirstOrThrow(),
        db.selectFrom('web_search_settings').select('updated_at').where('id', '=', GLOBAL_OWNER).executeTakeFirst(),
      ]);
      return `${Number(providers.n)}:${String(providers.total ?? 0)}:${String(mode?.updated_at ?? 0)}`;
    },
  };
}

export type WebSearchRepo = ReturnType<typeof createWebSearchRepo>;
