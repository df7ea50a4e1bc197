/**
 * OIDC discovery through openid-client: one Configuration per identity provider, cached until the
 * provider's settings change. Plain-HTTP issuers are refused except on loopback addresses, where
 * a local IdP (a developer's Keycloak, the tests' oidc-provider) has no certificate. Every call to
 * an IdP (discovery, token, userinfo, JWKS) goes through the SSRF guard's fetch, and an issuer is
 * checked against its policy before it is saved (config/outbound-guard.ts).
 */
import * as client from 'openid-client';
import type { OutboundGuard } from '../../config/outbound-guard.js';
import { ApiError } from '../../errors.js';
import type { IdentityProvider } from './idps.service.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function issuerUrl(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ApiError('invalid_request', `issuer is not a URL: ${issuer}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new ApiError('invalid_request', `issuer must use https (plain http is allowed only on localhost): ${issuer}`);
  }
  return url;
}

/** Discovery results per provider, refetched when the provider row changes or after a failure. */
export class DiscoveryCache {
  private readonly entries = new Map<string, { updatedAt: number; configuration: Promise<client.Configuration> }>();

  constructor(private readonly outbound: Pick<OutboundGuard, 'check' | 'fetch'>) {}

  /** The fetch of every call to an IdP; the returned Configuration keeps using it. */
  get fetch(): typeof fetch {
    return this.outbound.fetch;
  }

  private discover(issuer: string, clientId: string, clientSecret: string | null): Promise<client.Configuration> {
    const url = issuerUrl(issuer);
    return client.discovery(url, clientId, undefined, clientSecret ? client.ClientSecretPost(clientSecret) : client.None(), {
      execute: url.protocol === 'http:' ? [client.allowInsecureRequests] : [],
      timeout: 10,
      [client.customFetch]: this.outbound.fetch,
    });
  }

  /** Fails with a 400 naming the problem when the issuer is refused or publishes no usable discovery document. */
  async check(issuer: string): Promise<void> {
    try {
      await this.outbound.check('issuer', issuerUrl(issuer).href);
      await this.discover(issuer, 'ccag-discovery-check', null);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('invalid_request', `OIDC discovery failed for ${issuer}: ${(error as Error).message}`);
    }
  }

  configurationFor(idp: IdentityProvider): Promise<client.Configuration> {
    const cached = this.entries.get(idp.id);
    if (cached && cached.updatedAt === idp.updatedAt) return cached.configuration;
    const configuration = this.discover(idp.issuer, idp.clientId, idp.clientSecret);
    configuration.catch(() => this.entries.delete(idp.id));
    this.entries.set(idp.id, { updatedAt: idp.updatedAt, configuration });
    return configuration;
  }
}
