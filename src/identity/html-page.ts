/**
 * The few HTML pages the gateway serves itself (device verification, sign-in failures): small,
 * server-rendered, no scripts or external assets, every dynamic value escaped, and sent with
 * headers that forbid caching, framing (an approve button must not be clickjackable) and scripts.
 */
import type { FastifyReply } from 'fastify';

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}' +
  'label{display:block;margin:.75rem 0 .25rem}input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}' +
  'button,.button{font-size:1rem;padding:.5rem 1rem;margin:.75rem .5rem 0 0;display:inline-block}' +
  '.code{font-family:ui-monospace,monospace;letter-spacing:.15em}.error{color:#a00}';

/** A whole page around `body` (already HTML); the title is escaped here. */
export function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)} · CCAG</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
  );
}

/** A page that only says something, with an optional link onwards. */
export function message(title: string, text: string, link?: { href: string; label: string }): string {
  return page(title, `<p>${escapeHtml(text)}</p>${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''}`);
}

export function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .headers({
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    })
    .send(html);
}
