/**
 * Writes a Price List refresh into the pricing table: rows become source `aws` with the refresh
 * time. A `manual` row is an admin's decision and is never touched (counted as kept); `seed` and
 * older `aws` rows are replaced. A price the Price List does not list keeps the row's current
 * value rather than turning a known price into an unknown one, and a long-context tier (which
 * the Price List does not carry in a form read here) is left as it was.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { AwsPriceRow } from './parse.js';

export interface ApplyCounts {
  updated: number;
  added: number;
  skipped_manual: number;
}

const PRICES = ['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h'] as const;
/** Keeps `where model_prefix in (…)` far below SQLite's bound-parameter limit. */
const CHUNK = 500;

export async function applyAwsPrices(db: Kysely<Database>, rows: readonly AwsPriceRow[], now: number): Promise<ApplyCounts> {
  const counts: ApplyCounts = { updated: 0, added: 0, skipped_manual: 0 };
  await db.transaction().execute(async (trx) => {
    const stored = new Map<string, Database['pricing']>();
    for (let i = 0; i < rows.length; i += CHUNK) {
      const prefixes = rows.slice(i, i + CHUNK).map((row) => row.model_prefix);
      for (const row of await trx.selectFrom('pricing').selectAll().where('model_prefix', 'in', prefixes).execute()) stored.set(row.model_prefix, row);
    }
    for (const row of rows) {
      const current = stored.get(row.model_prefix);
      if (current?.source === 'manual') {
        counts.skipped_manual++;
        continue;
      }
      if (!current) {
        const inserted = await trx.insertInto('pricing')
          .values({
            ...row,
            tier_threshold: null, tier_input: null, tier_output: null, tier_cache_read: null, tier_cache_write_5m: null, tier_cache_write_1h: null,
            source: 'aws',
            updated_at: now,
          })
          // Another replica refreshing at the same moment wins harmlessly.
          .onConflict((oc) => oc.column('model_prefix').doNothing())
          .executeTakeFirst();
        if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) counts.added++;
        continue;
      }
      const prices = Object.fromEntries(PRICES.map((column) => [column, row[column] ?? current[column]]));
      // The source condition is in the statement, so an admin's edit made meanwhile still wins.
      const result = await trx.updateTable('pricing').set({ ...prices, note: row.note, source: 'aws', updated_at: now })
        .where('model_prefix', '=', row.model_prefix).where('source', '!=', 'manual').executeTakeFirst();
      if (result.numUpdatedRows > 0n) counts.updated++;
      else counts.skipped_manual++;
    }
  });
  return counts;
}

/** When any replica last wrote AWS prices (epoch ms), or null if none ever did. */
export async function lastAwsPriceUpdate(db: Kysely<Database>): Promise<number | null> {
  const row = await db.selectFrom('pricing').select((eb) => eb.fn.max('updated_at').as('at')).where('source', '=', 'aws').executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
