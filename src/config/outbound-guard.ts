/**
 * The SSRF guard of every URL an admin (or a member, for their own search provider) hands the
 * gateway to call: webhooks, AWS endpoint overrides, web search providers, upstream base URLs and
 * OIDC issuers (with the JWKS, token and userinfo URLs their discovery names). It refuses at save
 * time, with a 400 naming the field, and again at connect time: the host name is resolved when
 * the connection opens and only allowed addresses are dialled, so a name that resolved to a
 * public address when saved and to 169.254.169.254 later (DNS rebinding) reaches nothing.
 * The policy itself is outbound-addresses.ts; docs/security.md#ssrf.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { ApiError } from '../errors.js';
import { addressPolicy, type OutboundAllowlist } from './outbound-addresses.js';

/** How long a save waits for DNS before leaving the decision to connect time. */
const SAVE_LOOKUP_TIMEOUT_MS = 3_000;

export const OUTBOUND_REFUSED = 'ERR_CCAG_OUTBOUND_REFUSED';

export class OutboundRefusedError extends Error {
  readonly code = OUTBOUND_REFUSED;
  constructor(host: string, address: string, kind: string) {
    super(`refused to connect to ${host} (${address}, a ${kind} address); CCAG_OUTBOUND_ALLOW_PRIVATE can allow it`);
    this.name = 'OutboundRefusedError';
  }
}

export interface OutboundGuard {
  /** Save time: refuses a URL whose host is, or resolves to, an address the policy refuses. */
  check(field: string, url: string): Promise<void>;
  /** Connect time, for fetch-based clients (webhooks, search providers, OIDC discovery and JWKS). */
  readonly fetch: typeof fetch;
  /** Connect time, for undici dispatchers of the caller's own (an upstream's connection pool). */
  readonly connector: buildConnector.connector;
  /** Connect time, for node:http agents (the AWS SDK's handler, when an endpoint URL is overridden). */
  readonly lookup: LookupFunction;
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

export function createOutboundGuard(allowlist: OutboundAllowlist): OutboundGuard {
  const policy = addressPolicy(allowlist);

  /** The first refused address among those of a host, unless the allowlist names the host. */
  function refusedAmong(host: string, addresses: readonly string[]): OutboundRefusedError | undefined {
    if (policy.hostAllowed(host)) return undefined;
    for (const address of addresses) {
      const kind = policy.refusal(address);
      if (kind) return new OutboundRefusedError(host, address, kind);
    }
    return undefined;
  }

  // net.connect skips the lookup for an IP literal, so literals are checked before connecting.
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = policy.hostAllowed(hostname) ? addresses : addresses.filter((entry) => policy.refusal(entry.address) === undefined);
      if (usable.length === 0) return callback(refusedAmong(hostname, addresses.map((entry) => entry.address))!, '', 0);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };

  const connectThroughLookup = buildConnector({ lookup });
  const connector: buildConnector.connector = (options, callback) => {
    const host = bare(options.hostname);
    const refused = isIP(host) ? refusedAmong(host, [host]) : undefined;
    if (refused) return callback(refused, null);
    return connectThroughLookup(options, callback);
  };
  const agent = new Agent({ connect: connector });
  // undici's fetch is the WHATWG fetch global fetch is built on; only its declared types differ.
  const guardedFetch = ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher: agent })) as unknown as typeof fetch;

  return {
    async check(field, url) {
      let host: string;
      try {
        host = bare(new URL(url).hostname);
      } catch {
        throw new ApiError('invalid_request', `${field}: not a URL`);
      }
      const addresses = isIP(host) ? [host] : await resolveForSave(host);
      const refused = refusedAmong(host, addresses);
      if (refused) throw new ApiError('invalid_request', `${field}: ${refused.message}`);
    },
    fetch: guardedFetch,
    connector,
    lookup,
  };
}

/** A name that does not resolve now is not refused: connect time decides, when it does. */
function resolveForSave(host: string): Promise<string[]> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve([]), SAVE_LOOKUP_TIMEOUT_MS);
    dnsLookup(host, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      resolve(error ? [] : addresses.map((entry) => entry.address));
    });
  });
}

/** node:http agents that dial only allowed addresses, for SDKs built on node:http. */
export function guardedAgents(guard: Pick<OutboundGuard, 'lookup'>, options: { keepAlive?: boolean; maxSockets?: number } = {}) {
  return { httpAgent: new HttpAgent({ ...options, lookup: guard.lookup }), httpsAgent: new HttpsAgent({ ...options, lookup: guard.lookup }) };
}
