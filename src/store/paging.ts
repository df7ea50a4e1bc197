/**
 * Filtered, sorted and paged listings in SQL, written once for both dialects (the admin API's list
 * conventions, docs/admin-api.md#lists). The dialects disagree in three places this module
 * settles: PostgreSQL's LIKE is case-sensitive and SQLite's folds only ASCII, so text search is
 * `lower(column) LIKE lower(pattern)` on both; SQLite sorts NULLs first and PostgreSQL last, so
 * NULLs go last explicitly; SQLite's binary collation puts 'B' before 'a', so text sorts compare
 * lower-cased values. A unique tie-breaker (the row id) makes every page deterministic.
 */
import { sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';

export type SortOrder = 'asc' | 'desc';

export interface PageRequest<S extends string> {
  readonly sort: S;
  readonly order: SortOrder;
  /** null: every matching row, `offset` ignored (a listing then sorted by a value from another area). */
  readonly limit: number | null;
  readonly offset: number;
  /** A case-insensitive substring of the listing's text columns. */
  readonly q?: string | undefined;
}

export interface Page<T> {
  readonly rows: T[];
  /** Rows matching before paging. */
  readonly total: number;
}

/** The LIKE pattern for "contains `text`"; `%`, `_` and `\` in it match themselves. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** True when any of `columns` contains `text`, ignoring case. */
export function containsText(columns: readonly string[], text: string): Expression<SqlBool> {
  const pattern = containsPattern(text);
  const matches = columns.map((column) => sql`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`);
  return sql<SqlBool>`(${sql.join(matches, sql` or `)})`;
}

/** A text column as a sort key: compared without case. */
export const textKey = (column: string): RawBuilder<unknown> => sql`lower(${sql.ref(column)})`;
/** A number or time column as a sort key. */
export const valueKey = (column: string): RawBuilder<unknown> => sql.ref(column);

/**
 * One page of `filtered` ordered by `key` (NULLs last) then `tieBreaker`, with the number of rows
 * `filtered` matches: two statements, so `total` is right even past the last page.
 */
export async function fetchPage<DB, TB extends keyof DB, O>(
  filtered: SelectQueryBuilder<DB, TB, O>,
  request: Pick<PageRequest<string>, 'order' | 'limit' | 'offset'>,
  key: Expression<unknown>,
  tieBreaker: string,
): Promise<Page<O>> {
  let ordered = filtered.orderBy(key, (ob) => (request.order === 'asc' ? ob.asc() : ob.desc()).nullsLast()).orderBy(sql.ref(tieBreaker), 'asc');
  // SQLite takes no OFFSET without a LIMIT; a request for every row starts at the first anyway.
  if (request.limit !== null) ordered = ordered.limit(request.limit).offset(request.offset);
  const counted = filtered.clearSelect().select(sql<number>`count(*)`.as('n')) as unknown as SelectQueryBuilder<DB, TB, { n: number }>;
  const [rows, count] = await Promise.all([ordered.execute(), counted.executeTakeFirstOrThrow()]);
  // COUNT is a bigint on PostgreSQL.
  return { rows, total: Number(count.n) };
}

/** Ids per statement: far below SQLite's and PostgreSQL's limits on bound parameters. */
const IDS_PER_STATEMENT = 500;

/** Runs `read` over `ids` in slices every dialect accepts in one `IN (...)`, and concatenates the rows. */
export async function readInSlices<T>(ids: readonly string[], read: (slice: readonly string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let from = 0; from < ids.length; from += IDS_PER_STATEMENT) rows.push(...(await read(ids.slice(from, from + IDS_PER_STATEMENT))));
  return rows;
}
