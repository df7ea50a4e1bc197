/**
 * The two destination slots (`notification_destinations`): `draft` (being configured and tested)
 * and `active` (delivering). Moving a configuration between slots is one transaction, so a replica
 * never sees it in both or in neither.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, NotificationDestinationsTable } from '../store/schema.js';

export type DestinationRow = Selectable<NotificationDestinationsTable>;
export type Slot = DestinationRow['slot'];
export type TestRecord = Pick<DestinationRow, 'tested_at' | 'test_ok' | 'test_error'>;

/** Rolls the move's transaction back, putting the row where it was. */
class MoveRefused extends Error {}

export function createDestinationsRepo(db: Kysely<Database>) {
  return {
    async get(slot: Slot): Promise<DestinationRow | undefined> {
      return db.selectFrom('notification_destinations').selectAll().where('slot', '=', slot).executeTakeFirst();
    },

    async put(row: DestinationRow): Promise<void> {
      const { slot, ...rest } = row;
      await db
        .insertInto('notification_destinations')
        .values(row)
        .onConflict((conflict) => conflict.column('slot').doUpdateSet(rest))
        .execute();
    },

    async remove(slot: Slot): Promise<boolean> {
      const result = await db.deleteFrom('notification_destinations').where('slot', '=', slot).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Records a test of the row as it was at `updatedAt`; an edit made meanwhile stays untested. */
    async recordTest(slot: Slot, updatedAt: number, test: TestRecord): Promise<void> {
      await db.updateTable('notification_destinations').set(test).where('slot', '=', slot).where('updated_at', '=', updatedAt).execute();
    },

    /**
     * Moves the configuration in `from` to `to` (replacing what was there) when `allowed` accepts
     * it; answers the moved row, 'missing' or 'refused'.
     */
    async move(from: Slot, to: Slot, allowed: (row: DestinationRow) => boolean = () => true): Promise<DestinationRow | 'missing' | 'refused'> {
      try {
        return await db.transaction().execute(async (trx) => {
          // Taking the row out first is the claim: a concurrent move waits on it, then finds nothing.
          const row = await trx.deleteFrom('notification_destinations').where('slot', '=', from).returningAll().executeTakeFirst();
          if (!row) return 'missing' as const;
          if (!allowed(row)) throw new MoveRefused();
          await trx.deleteFrom('notification_destinations').where('slot', '=', to).execute();
          const moved: DestinationRow = { ...row, slot: to };
          await trx.insertInto('notification_destinations').values(moved).execute();
          return moved;
        });
      } catch (error) {
        if (error instanceof MoveRefused) return 'refused';
        throw error;
      }
    },
  };
}

export type DestinationsRepo = ReturnType<typeof createDestinationsRepo>;
