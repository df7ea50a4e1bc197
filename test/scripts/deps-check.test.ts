/** `npm run deps:check` (scripts/deps-check.mjs): which `npm outdated` entries count as behind. */
import { describe, expect, test } from 'vitest';
// @ts-expect-error -- a plain ES module script without declarations
import { classify } from '../../scripts/deps-check.mjs';

type Row = { name: string; update?: string };

describe('deps:check', () => {
  test('a newer patch or minor of the current major is behind; a new major alone is listed apart', () => {
    const { behind, major } = classify({
      jose: { current: '6.2.18', wanted: '6.2.19', latest: '6.2.19' },
      kysely: { current: '0.28.18', wanted: '0.28.19', latest: '0.29.0' },
      '@opentelemetry/api': { current: '1.9.1', wanted: '1.10.0', latest: '1.10.0' },
      ioredis: { current: '5.11.1', wanted: '5.11.1', latest: '6.1.0' },
      fastify: { current: '5.1.0', wanted: '5.2.0', latest: '6.0.0' },
      missing: { wanted: '1.0.0', latest: '1.0.0' },
    }) as { behind: Row[]; major: Row[] };
    expect(behind.map((row) => [row.name, row.update])).toEqual([
      ['jose', 'patch'],
      ['kysely', 'minor'],
      ['@opentelemetry/api', 'minor'],
      ['fastify', 'minor'],
    ]);
    expect(major.map((row) => row.name)).toEqual(['ioredis']);
  });
});
