/**
 * Pending device authorizations (RFC 8628). A code moves pending → approved | denied, and an
 * approved code becomes consumed the one time it is exchanged for tokens; conditional updates
 * make each move happen once even when replicas race.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { deleteOlderBatch, type BatchedDelete } from '../../store/batched-delete.js';
import type { Database, OauthDeviceCodesTable } from '../../store/schema.js';

export type DeviceCode = Selectable<OauthDeviceCodesTable>;

export const DEVICE_CODES_RETENTION: BatchedDelete = { table: 'oauth_device_codes', key: 'id', timeColumn: 'expires_at' };

export function createDeviceCodesRepo(db: Kysely<Database>) {
  return {
    async insert(fields: { deviceCodeHash: string; userCode: string; client: string | null; intervalS: number; now: number; expiresAt: number }): Promise<DeviceCode> {
      const row: DeviceCode = {
        id: randomUUID(),
        device_code_hash: fields.deviceCodeHash,
        user_code: fields.userCode,
        status: 'pending',
        user_id: null,
        client: fields.client,
        interval_s: fields.intervalS,
        created_at: fields.now,
        expires_at: fields.expiresAt,
        last_polled_at: null,
      };
      await db.insertInto('oauth_device_codes').values(row).execute();
      return row;
    },

    findByHash(deviceCodeHash: string): Promise<DeviceCode | undefined> {
      return db.selectFrom('oauth_device_codes').selectAll().where('device_code_hash', '=', deviceCodeHash).executeTakeFirst();
    },

    findByUserCode(userCode: string): Promise<DeviceCode | undefined> {
      return db.selectFrom('oauth_device_codes').selectAll().where('user_code', '=', userCode).executeTakeFirst();
    },

    async recordPoll(id: string, now: number): Promise<void> {
      await db.updateTable('oauth_device_codes').set({ last_polled_at: now }).where('id', '=', id).execute();
    },

    /** Approves or denies a still-pending, unexpired code; false when it was not (any more). */
    async decide(id: string, decision: { status: 'approved' | 'denied'; userId: string }, now: number): Promise<boolean> {
      const result = await db
        .updateTable('oauth_device_codes')
        .set({ status: decision.status, user_id: decision.userId })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Marks an approved code consumed; true only for the one caller that did it. */
    async consume(id: string): Promise<boolean> {
      const result = await db.updateTable('oauth_device_codes').set({ status: 'consumed' }).where('id', '=', id).where('status', '=', 'approved').executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /**
     * Retention (docs/retention.md): at most `batchSize` codes that expired before `cutoff`. Old
     * codes are useless after expiry; keeping the table small keeps user-code collisions away.
     */
    purgeBefore(cutoff: number, batchSize: number): Promise<number> {
      return deleteOlderBatch(db, DEVICE_CODES_RETENTION, cutoff, batchSize);
    },
  };
}

export type DeviceCodesRepo = ReturnType<typeof createDeviceCodesRepo>;
