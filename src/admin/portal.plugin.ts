/**
 * The admin portal, a single-page app built by Vite into dist/portal (scripts/build-portal.mjs):
 *   GET /portal/assets/*   hashed files, cached for a year (a new build gets new names), served
 *                          pre-compressed (brotli, gzip) when the browser accepts it
 *   GET /portal, /portal/* the app's one HTML page, for every deep link, never cached, under a
 *                          strict Content-Security-Policy (no inline script or style, same origin
 *                          only, no framing)
 * The page is read once at start; the portal talks only to /auth and /admin on this origin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { message, sendHtml } from '../identity/html-page.js';

/** dist/portal of this package, from src/admin (tests) and dist/admin (the built gateway) alike. */
export const PORTAL_BUILD_DIR = fileURLToPath(new URL('../../dist/portal/', import.meta.url));

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export async function portalPlugin(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? PORTAL_BUILD_DIR;
  const indexFile = `${root}/index.html`;
  const page = existsSync(indexFile) ? readFileSync(indexFile) : undefined;

  const sendPage = (reply: FastifyReply) => {
    if (!page) {
      return sendHtml(reply, 503, message('Portal not built', 'This gateway was started without building the portal. Start it with "npm start", or run "npm run build:portal" and restart.'));
    }
    return reply.code(200).type('text/html; charset=utf-8').headers(PAGE_HEADERS).send(page);
  };

  if (page) {
    await app.register(fastifyStatic, {
      root: `${root}/assets`,
      prefix: '/portal/assets/',
      preCompressed: true,
      index: false,
      // Asset names carry a content hash: a file never changes under its name.
      maxAge: '365d',
      immutable: true,
      setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
    });
  }

  app.get('/portal', (_request, reply) => reply.redirect('/portal/', 302));
  // Deep links (/portal/keys, /portal/users/…) all load the app, which routes in the browser.
  app.get('/portal/', (_request, reply) => sendPage(reply));
  app.get('/portal/*', (request, reply) => {
    // A missing hashed asset is a 404, not the page: a stale tab must not parse HTML as script.
    if (request.url.startsWith('/portal/assets/')) return reply.code(404).type('text/plain').send('Not found');
    return sendPage(reply);
  });
}
