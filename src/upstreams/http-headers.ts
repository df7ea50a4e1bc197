/**
 * Header hygiene shared by every HTTP hop: hop-by-hop headers never cross a proxy, and the
 * client's credentials for the gateway never reach an upstream.
 */
import type { IncomingHttpHeaders } from 'node:http';

// Hop-by-hop headers, plus host and length which each hop sets for itself.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

// The gateway's own credentials and what would break metering (compressed bodies) or leak
// client state (cookies) to the upstream.
const CLIENT_ONLY = new Set(['x-api-key', 'authorization', 'accept-encoding', 'cookie']);

export function forwardableRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || CLIENT_ONLY.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function forwardableResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'set-cookie') continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
