/** The admin API's list conventions: the query schema and in-memory paging (pure). */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { listQuery, pageInMemory } from '../../src/admin/list-query.js';
import { validate } from '../../src/admin/validate.js';
import { ApiError } from '../../src/errors.js';

const schema = listQuery({ name: 'asc', created_at: 'desc', score: 'desc' }, 'name', { kind: z.enum(['a', 'b']).optional() });
const parse = (query: Record<string, unknown>) => validate(schema, query);

function refusal(query: Record<string, unknown>): string {
  try {
    parse(query);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_request');
    return (error as ApiError).message;
  }
  throw new Error('accepted');
}

describe('listQuery', () => {
  test('defaults: the first 100 by the default field in its natural order', () => {
    expect(parse({})).toEqual({ limit: 100, offset: 0, sort: 'name', order: 'asc', q: undefined });
  });

  test('query strings become numbers; the order defaults to the chosen field’s and can be turned', () => {
    expect(parse({ limit: '5', offset: '10', sort: 'created_at', kind: 'a' })).toEqual({ limit: 5, offset: 10, sort: 'created_at', order: 'desc', q: undefined, kind: 'a' });
    expect(parse({ sort: 'created_at', order: 'asc' })).toMatchObject({ order: 'asc' });
    expect(parse({ limit: '1000' })).toMatchObject({ limit: 1000 });
  });

  test('q is trimmed; an empty one searches nothing', () => {
    expect(parse({ q: '  ann ' })).toMatchObject({ q: 'ann' });
    expect(parse({ q: '   ' })).toMatchObject({ q: undefined });
  });

  test('bad values are refused with a message naming the field (and the sortable fields)', () => {
    expect(refusal({ sort: 'password' })).toBe('sort: must be one of name, created_at, score');
    expect(refusal({ order: 'up' })).toBe('order: must be asc or desc');
    expect(refusal({ limit: '0' })).toMatch(/^limit: /);
    expect(refusal({ limit: '1001' })).toMatch(/^limit: /);
    expect(refusal({ limit: '2.5' })).toMatch(/^limit: /);
    expect(refusal({ limit: 'many' })).toMatch(/^limit: /);
    expect(refusal({ offset: '-1' })).toMatch(/^offset: /);
    expect(refusal({ kind: 'c' })).toMatch(/^kind: /);
  });
});

describe('pageInMemory', () => {
  interface Row {
    name: string;
    score: number | null;
    created_at: string;
  }
  const rows: Row[] = [
    { name: 'beta', score: 2, created_at: '2026-01-02' },
    { name: 'Alpha', score: null, created_at: '2026-01-01' },
    { name: 'gamma', score: 2, created_at: '2026-01-03' },
    { name: 'delta', score: 5, created_at: '2026-01-04' },
  ];
  const list = { sort: { name: (row: Row) => row.name, score: (row: Row) => row.score, created_at: (row: Row) => row.created_at }, text: (row: Row) => [row.name] };
  const names = (query: Record<string, unknown>) => pageInMemory(rows, parse(query), list).data.map((row) => row.name);

  test('text sorts without case; NULLs last in either order; ties keep the input order', () => {
    expect(names({})).toEqual(['Alpha', 'beta', 'delta', 'gamma']);
    expect(names({ sort: 'score' })).toEqual(['delta', 'beta', 'gamma', 'Alpha']);
    expect(names({ sort: 'score', order: 'asc' })).toEqual(['beta', 'gamma', 'delta', 'Alpha']);
  });

  test('q filters before paging; the envelope counts what matched', () => {
    expect(pageInMemory(rows, parse({ q: 'TA', limit: '1', offset: '1' }), list)).toEqual({ data: [rows[3]], total: 2, limit: 1, offset: 1 });
    expect(pageInMemory(rows, parse({ offset: '9' }), list)).toEqual({ data: [], total: 4, limit: 100, offset: 9 });
  });
});
