/**
 * The JavaScript the portal ships (every chunk, including pages loaded later) stays under 350 KB
 * gzipped, measured on the files `npm test` builds into dist/portal before the tests run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { PORTAL_BUILD_DIR } from '../../src/admin/portal.plugin.js';

const BUDGET_BYTES = 350 * 1024;

test('the portal ships at most 350 KB of gzipped JavaScript', () => {
  const assets = join(PORTAL_BUILD_DIR, 'assets');
  expect(existsSync(assets), 'dist/portal is missing: npm test builds it (node scripts/build-portal.mjs)').toBe(true);
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  const sizes = scripts.map((name) => ({ name, gzipped: gzipSync(readFileSync(join(assets, name)), { level: 9 }).length }));
  const total = sizes.reduce((sum, file) => sum + file.gzipped, 0);
  console.info(`portal JavaScript: ${(total / 1024).toFixed(1)} KB gzipped in ${scripts.length} files`);
  expect(total, JSON.stringify(sizes.sort((a, b) => b.gzipped - a.gzipped).slice(0, 5))).toBeLessThanOrEqual(BUDGET_BYTES);
});
