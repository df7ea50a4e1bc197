import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ApiError, ERROR_CODES } from '../src/errors.js';

describe('error catalogue', () => {
  test('docs/errors.md lists every code with its status and type, and nothing else', () => {
    const rows = readFileSync('docs/errors.md', 'utf8')
      .split('\n')
      .map((line) => /^\| `([a-z_]+)` \| (\d+) \| `([a-z_]+)` \|/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], { status: Number(m[2]), type: m[3] }] as const);
    expect(Object.fromEntries(rows)).toEqual(ERROR_CODES);
  });

  test('501 errors always tell clients not to retry', () => {
    expect(new ApiError('not_supported', 'no').headers['x-should-retry']).toBe('false');
    expect(new ApiError('invalid_request', 'no').headers['x-should-retry']).toBeUndefined();
  });
});
