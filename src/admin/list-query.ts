/**
 * The admin API's list conventions (docs/admin-api.md#lists), shared by every list route: the
 * query schema (`limit`, `offset`, `sort`, `order`, `q` and the route's filters), paging of small
 * lists in memory, and the `{data, total, limit, offset}` envelope. Large tables page in SQL
 * instead (src/store/paging.ts), with the same query and the same ordering rules.
 */
import { z } from 'zod';
import type { PageRequest, SortOrder } from '../store/paging.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** A route's sortable fields, each with its natural order (names ascending; times and amounts descending). */
export type SortFields<S extends string> = Readonly<Record<S, SortOrder>>;

export interface ListQuery<S extends string> extends PageRequest<S> {
  readonly limit: number;
}

export interface ListEnvelope<T> {
  readonly data: T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/**
 * The query schema of a list route. `order` defaults to the chosen field's natural order, so
 * `?sort=created_at` means newest first and `?sort=name` A to Z. Unknown parameters are ignored.
 */
export function listQuery<S extends string, F extends z.ZodRawShape = Record<never, never>>(fields: SortFields<S>, defaultSort: NoInfer<S>, filters?: F) {
  const names = Object.keys(fields) as [S, ...S[]];
  return z
    .object({
      limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
      offset: z.coerce.number().int().min(0).default(0),
      sort: z.enum(names, { error: `must be one of ${names.join(', ')}` }).default(defaultSort),
      order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).optional(),
      q: z.string().trim().max(200).optional(),
      ...(filters ?? ({} as F)),
    })
    .transform((parsed) => {
      // zod cannot follow the generic shape through the spread; the fields are the ones declared above.
      const { order, q, ...rest } = parsed as unknown as Omit<ListQuery<S>, 'order'> & { order?: SortOrder };
      return { ...rest, order: order ?? fields[rest.sort], q: q || undefined } as ListQuery<S> & z.output<z.ZodObject<F>>;
    });
}

export const envelope = <T>(data: T[], total: number, query: Pick<ListQuery<string>, 'limit' | 'offset'>): ListEnvelope<T> => ({
  data,
  total,
  limit: query.limit,
  offset: query.offset,
});

type SortKey = string | number | boolean | null | undefined;

export interface InMemoryList<T, S extends string> {
  /** Each sortable field's value in a row; text compares without case. */
  readonly sort: { readonly [K in S]: (row: T) => SortKey };
  /** The text `q` searches in a row; absent when `q` was already applied (in SQL). */
  readonly text?: (row: T) => ReadonlyArray<string | null | undefined>;
}

/** Whether any of `values` contains `q`, ignoring case. */
function containsIgnoringCase(values: ReadonlyArray<string | null | undefined>, q: string): boolean {
  const wanted = q.toLowerCase();
  return values.some((value) => value?.toLowerCase().includes(wanted));
}

function compare(a: SortKey, b: SortKey): number {
  const left = typeof a === 'string' ? a.toLowerCase() : Number(a);
  const right = typeof b === 'string' ? b.toLowerCase() : Number(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Filters, sorts and pages a small list like the SQL listings do: NULLs last in either order,
 * and ties keep the order `rows` came in (the sort is stable), so give them in a fixed order.
 */
export function pageInMemory<T, S extends string>(rows: readonly T[], query: ListQuery<S>, list: InMemoryList<T, S>): ListEnvelope<T> {
  const { q } = query;
  const matching = q && list.text ? rows.filter((row) => containsIgnoringCase(list.text!(row), q)) : [...rows];
  const key = list.sort[query.sort];
  const direction = query.order === 'asc' ? 1 : -1;
  matching.sort((x, y) => {
    const a = key(x);
    const b = key(y);
    const aMissing = a === null || a === undefined;
    const bMissing = b === null || b === undefined;
    if (aMissing || bMissing) return Number(aMissing) - Number(bMissing);
    return direction * compare(a, b);
  });
  return envelope(matching.slice(query.offset, query.offset + query.limit), matching.length, query);
}
