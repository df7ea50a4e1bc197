/**
 * Option value parsers for commander. Each throws `InvalidArgumentError`, which commander turns
 * into a one-line usage error (exit 2) naming the option, before any request is made.
 */
import { InvalidArgumentError } from 'commander';
import { EXPIRY_HELP, INSTANT_HELP, parseExpiry, parseInstant } from './expiry.js';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080';

/**
 * The canonical form of a gateway URL, used both to build requests and as the key under which
 * credentials are saved (so `http://Host:8080/` and `http://host:8080` share one login).
 */
export function normalizeGatewayUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InvalidArgumentError(`"${raw}" is not a URL; expected something like ${DEFAULT_GATEWAY_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`"${raw}" must start with http:// or https://`);
  }
  if (url.username || url.password) throw new InvalidArgumentError('put credentials in --token or "ccag login", not in the URL');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function parseHttpUrl(raw: string): string {
  normalizeGatewayUrl(raw);
  return raw.trim();
}

export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidArgumentError('expected a port number between 1 and 65535');
  }
  return port;
}

/** A price in USD per million tokens; a leading `$` is tolerated because people paste it. */
export function parseUsdPerMTok(raw: string): number {
  const text = raw.trim().replace(/^\$/, '');
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text)) throw new InvalidArgumentError('expected a non-negative number of USD per million tokens, e.g. 3 or 0.30');
  return Number(text);
}

export function parseTokenCount(raw: string): number {
  const text = raw.trim().replace(/_/g, '');
  const match = /^(\d+)(k)?$/i.exec(text);
  const count = match ? Number(match[1]) * (match[2] ? 1000 : 1) : NaN;
  if (!Number.isSafeInteger(count) || count <= 0) throw new InvalidArgumentError('expected a positive number of tokens, e.g. 200000 or 200k');
  return count;
}

/** A commander parser that reads a time against the clock at parse time. */
function timeParser(parse: (raw: string, now: Date) => Date, now: () => Date): (raw: string) => Date {
  return (raw) => {
    try {
      return parse(raw, now());
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** `--expires`: a time in the future. */
export const expiryParser = (now: () => Date) => timeParser(parseExpiry, now);
/** `--from`, `--to`: any time; a duration counts back from now. */
export const instantParser = (now: () => Date) => timeParser(parseInstant, now);

export { EXPIRY_HELP, INSTANT_HELP };
