import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, EndpointsTable } from '../store/schema.js';

export type EndpointRow = Selectable<EndpointsTable>;

/** The columns an edit may change; id, kind and created_at never do. */
export type EndpointChanges = Partial<Pick<EndpointRow, 'name' | 'config' | 'credentials' | 'is_default' | 'enabled' | 'priority'>>;

/** Why a delete was refused: the routings (team ids, '' for the default routing) that use the endpoint. */
export type RemoveOutcome = { removed: true } | { removed: false; reason: 'not_found' } | { removed: false; reason: 'routed'; teamIds: string[] };

/**
 * The stamp for a write: now, but always past the table's newest `updated_at`. Replicas notice a
 * change through `version()` (the highest stamp), so two writes in one millisecond, or a clock
 * that stepped back, must still move it.
 */
async function nextStamp(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .selectFrom('endpoints')
    .select((eb) => eb.fn.max<number>('updated_at').as('latest'))
    .executeTakeFirst();
  return Math.max(Date.now(), Number(row?.latest ?? 0) + 1);
}

export function createEndpointsRepo(db: Kysely<Database>) {
  return {
    list(): Promise<EndpointRow[]> {
      return db.selectFrom('endpoints').selectAll().orderBy('priority').orderBy('created_at').execute();
    },

    findById(id: string): Promise<EndpointRow | undefined> {
      return db.selectFrom('endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    },

    count(): Promise<number> {
      return db
        .selectFrom('endpoints')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
        .then((row) => Number(row.n));
    },

    /** Inserts; when the row is the default, the previous default stops being one, atomically. */
    async insert(row: EndpointRow): Promise<void> {
      await db.transaction().execute(async (trx) => {
        if (row.is_default) await trx.updateTable('endpoints').set({ is_default: 0, updated_at: row.updated_at }).where('is_default', '=', 1).execute();
        await trx.insertInto('endpoints').values(row).execute();
      });
    },

    /**
     * Applies an edit and returns the row as stored, or undefined when there is no such endpoint.
     * Becoming the default clears the previous default in the same transaction.
     */
    async update(id: string, changes: EndpointChanges): Promise<EndpointRow | undefined> {
      return db.transaction().execute(async (trx) => {
        const stamp = await nextStamp(trx);
        if (changes.is_default === 1) await trx.updateTable('endpoints').set({ is_default: 0, updated_at: stamp }).where('is_default', '=', 1).where('id', '!=', id).execute();
        const result = await trx
          .updateTable('endpoints')
          .set({ ...changes, updated_at: stamp })
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return undefined;
        return trx.selectFrom('endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      });
    },

    /** Team ids ('' = the default routing) whose routing lists the endpoint. Routing owns both tables. */
    async routingsUsing(id: string): Promise<string[]> {
      const rows = await db.selectFrom('team_routing_endpoints').select('team_id').where('endpoint_id', '=', id).orderBy('team_id').execute();
      return rows.map((row) => row.team_id);
    },

    /** Deletes unless a routing still lists the endpoint; the check and the delete share a transaction. */
    async remove(id: string): Promise<RemoveOutcome> {
      return db.transaction().execute(async (trx): Promise<RemoveOutcome> => {
        const routed = await trx.selectFrom('team_routing_endpoints').select('team_id').where('endpoint_id', '=', id).orderBy('team_id').execute();
        if (routed.length > 0) return { removed: false, reason: 'routed', teamIds: routed.map((row) => row.team_id) };
        const result = await trx.deleteFrom('endpoints').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) > 0 ? { removed: true } : { removed: false, reason: 'not_found' };
      });
    },

    /** Highest updated_at, so replicas can notice a change without reloading every time. */
    async version(): Promise<string> {
      const row = await db
        .selectFrom('endpoints')
        .select((eb) => [eb.fn.max<number>('updated_at').as('latest'), eb.fn.countAll<number>().as('n')])
        .executeTakeFirstOrThrow();
      return `${Number(row.latest ?? 0)}:${Number(row.n)}`;
    },
  };
}

export type EndpointsRepo = ReturnType<typeof createEndpointsRepo>;
