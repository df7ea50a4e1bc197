/**
 * Signed-in devices: one row per access/refresh pair, rotated in place on refresh and revoked by
 * setting `revoked_at`. Every write bumps `updated_at`, which other replicas' grant caches poll.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, OauthGrantsTable, UsersTable } from '../../store/schema.js';

export type Grant = Selectable<OauthGrantsTable>;
export type GrantWithOwner = Grant & { user_email: string; user_role: UsersTable['role']; user_status: UsersTable['status']; user_deleted_at: number | null };

export interface TokenPair {
  readonly accessHash: string;
  readonly accessExpiresAt: number;
  readonly refreshHash: string;
  readonly refreshExpiresAt: number;
}

export function createGrantsRepo(db: Kysely<Database>) {
  const withOwner = () =>
    db
      .selectFrom('oauth_grants')
      .innerJoin('users', 'users.id', 'oauth_grants.user_id')
      .selectAll('oauth_grants')
      .select(['users.email as user_email', 'users.role as user_role', 'users.status as user_status', 'users.deleted_at as user_deleted_at']);

  return {
    async insert(fields: { userId: string; client: string | null; pair: TokenPair; now: number }): Promise<Grant> {
      const row: Grant = {
        id: randomUUID(),
        user_id: fields.userId,
        client: fields.client,
        access_hash: fields.pair.accessHash,
        access_expires_at: fields.pair.accessExpiresAt,
        refresh_hash: fields.pair.refreshHash,
        refresh_expires_at: fields.pair.refreshExpiresAt,
        previous_refresh_hash: null,
        created_at: fields.now,
        updated_at: fields.now,
        revoked_at: null,
      };
      await db.insertInto('oauth_grants').values(row).execute();
      return row;
    },

    findByAccessHash(hash: string): Promise<GrantWithOwner | undefined> {
      return withOwner().where('oauth_grants.access_hash', '=', hash).executeTakeFirst();
    },

    findByRefreshHash(hash: string): Promise<GrantWithOwner | undefined> {
      return withOwner().where('oauth_grants.refresh_hash', '=', hash).executeTakeFirst();
    },

    /** The grant whose refresh token was rotated away as `hash`: a replay of an old token. */
    findByPreviousRefreshHash(hash: string): Promise<Grant | undefined> {
      return db.selectFrom('oauth_grants').selectAll().where('previous_refresh_hash', '=', hash).executeTakeFirst();
    },

    /**
     * Replaces the pair, but only if `refreshHash` is still the current refresh token and the
     * grant is live: of two concurrent refreshes with the same token, exactly one wins.
     */
    async rotate(id: string, refreshHash: string, pair: TokenPair, now: number): Promise<Grant | undefined> {
      const result = await db
        .updateTable('oauth_grants')
        .set({
          access_hash: pair.accessHash,
          access_expires_at: pair.accessExpiresAt,
          refresh_hash: pair.refreshHash,
          refresh_expires_at: pair.refreshExpiresAt,
          previous_refresh_hash: refreshHash,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('refresh_hash', '=', refreshHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      return db.selectFrom('oauth_grants').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async revoke(id: string, now: number): Promise<Grant | undefined> {
      await db.updateTable('oauth_grants').set({ revoked_at: now, updated_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
      return db.selectFrom('oauth_grants').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Grants written after `since` (all of them for -1), for the grant cache. */
    changedSince(since: number): Promise<Grant[]> {
      return db.selectFrom('oauth_grants').selectAll().where('updated_at', '>', since).execute();
    },
  };
}

export type GrantsRepo = ReturnType<typeof createGrantsRepo>;
