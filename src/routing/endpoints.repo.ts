import type { Kysely, Selectable } from 'kysely';
import type { Database, EndpointsTable } from '../store/schema.js';

export type EndpointRow = Selectable<EndpointsTable>;

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

    async remove(id: string): Promise<boolean> {
      const result = await db.deleteFrom('endpoints').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
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
