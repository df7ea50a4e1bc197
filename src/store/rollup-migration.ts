/**
 * What the migrations that add rollups share: one transaction around the DDL and the backfill,
 * and tables kept in primary-key order on SQLite.
 */
import { SqliteAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Runs `migrate` in one transaction. PostgreSQL migrations already run in one; on SQLite Kysely
 * runs them without, and a half-done backfill run again would count rows twice.
 */
export async function inOneTransaction(db: Kysely<unknown>, migrate: (db: Kysely<unknown>) => Promise<void>): Promise<void> {
  if (db.isTransaction) return migrate(db);
  await db.transaction().execute(migrate);
}

/**
 * On SQLite, WITHOUT ROWID keeps a table in its primary key's order, so a range of the key's
 * first columns is read in one sweep instead of an index walk plus a lookup per row.
 */
export function clusteredOn(db: Kysely<unknown>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return <T extends CreateTableBuilder<string, never>>(table: T): T => (sqlite ? (table.modifyEnd(sql`without rowid`) as T) : table);
}
