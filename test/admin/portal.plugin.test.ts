/**
 * Serving the portal build (src/admin/portal.plugin.ts) from a fixture build directory: the page
 * for every deep link under a strict CSP, hashed assets cached for a year and sent
 * pre-compressed, a missing asset as a plain 404, and a clear page when the portal is not built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalPlugin } from '../../src/admin/portal.plugin.js';

const SCRIPT = 'console.log("portal");'.repeat(50);

describe('portal plugin', () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ccag-portal-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>CCAG</title><script type="module" src="/portal/assets/index-abc123.js"></script>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), SCRIPT);
    writeFileSync(join(root, 'assets', 'index-abc123.js.br'), brotliCompressSync(SCRIPT));
    writeFileSync(join(root, 'assets', 'index-abc123.js.gz'), gzipSync(SCRIPT));
    app = Fastify();
    await app.register(portalPlugin, { root });
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('redirects /portal to /portal/', async () => {
    const response = await app.inject({ url: '/portal' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/portal/');
  });

  it('answers every deep link with the page, uncached, under a CSP without inline script or style', async () => {
    for (const url of ['/portal/', '/portal/keys', '/portal/users/123?tab=keys']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('/portal/assets/index-abc123.js');
      expect(response.headers['cache-control']).toBe('no-cache');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves hashed assets for a year, pre-compressed when the browser accepts it', async () => {
    const brotli = await app.inject({ url: '/portal/assets/index-abc123.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotli.headers['content-type']).toMatch(/javascript/);
    const gzip = await app.inject({ url: '/portal/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ url: '/portal/assets/index-abc123.js' });
    expect(plain.body).toBe(SCRIPT);
  });

  it('answers a missing asset with a 404, never the page (a stale tab must not run HTML as script)', async () => {
    const response = await app.inject({ url: '/portal/assets/index-old999.js' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).not.toMatch(/html/);
  });

  it('says how to build the portal when there is no build', async () => {
    const empty = Fastify();
    await empty.register(portalPlugin, { root: join(root, 'nothing-here') });
    const response = await empty.inject({ url: '/portal/keys' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:portal');
    await empty.close();
  });
});
