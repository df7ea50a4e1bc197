// Builds the admin portal (portal/ → dist/portal) with Vite, then writes brotli and gzip copies of
// every text asset for the gateway to serve pre-compressed. Skips the build when dist/portal is
// newer than every source file, so `npm start` stays quick; `--force` always builds.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const SOURCES = ['portal', 'src/cli/admin-types.ts', 'package-lock.json'];
const OUT = 'dist/portal';
const STAMP = join(OUT, 'index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const force = process.argv.includes('--force');
if (!force && existsSync(STAMP) && statSync(STAMP).mtimeMs > Math.max(...SOURCES.map(newestMtime))) {
  console.error('ccag: portal is up to date (dist/portal)');
  process.exit(0);
}

console.error('ccag: building the portal (vite)...');
const { build } = await import('vite');
await build({ configFile: 'portal/vite.config.ts', logLevel: 'warn' });

for (const path of files(join(OUT, 'assets'))) {
  if (!/\.(js|css|svg|json|map|txt)$/.test(path)) continue;
  const content = readFileSync(path);
  writeFileSync(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
}
console.error('ccag: portal built into dist/portal');
