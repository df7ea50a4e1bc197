/**
 * The Bedrock service quotas that bound Claude on one endpoint (tokens and requests per minute,
 * per model and per cross-region profile), read with servicequotas:ListServiceQuotas. Optional by
 * design: without that permission the quota view says why and nothing else changes.
 */
import type { LookupFunction } from 'node:net';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { guardedAgents } from '../../config/outbound-guard.js';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { BedrockEndpointConfig, ServiceQuota } from '../types.js';
import { describeFailure } from './errors.js';

/** Bedrock lists hundreds of quotas (every model family, batch, agents, ...); the gateway only sends Claude traffic. */
export function isAnthropicQuota(name: string): boolean {
  return /anthropic|claude/i.test(name);
}

/** The reason the quota view shows when the call fails; never a credential. */
export function quotasUnavailableReason(err: unknown): string {
  const failure = describeFailure(err);
  if (/accessdenied/i.test(failure.name) || failure.httpStatus === 403) return 'the credentials lack servicequotas:ListServiceQuotas';
  if (failure.cause === 'credentials') return 'no AWS credentials could be obtained for this endpoint';
  if (failure.cause === 'network') return 'Service Quotas could not be reached';
  return `Service Quotas answered ${failure.name}${failure.message ? `: ${failure.message}` : ''}`;
}

export interface QuotaReader {
  /** Claude's quotas in the endpoint's region, sorted by name; rejects with the reason as its message. */
  list(signal: AbortSignal): Promise<ServiceQuota[]>;
  destroy(): void;
}

/**
 * A reader sharing the endpoint's credential source. The Service Quotas client is loaded and built
 * on first use: most endpoints are never asked.
 */
export function createQuotaReader(config: BedrockEndpointConfig, credentials: AwsCredentialIdentityProvider, lookup: LookupFunction | undefined): QuotaReader {
  let sdk: Promise<typeof import('@aws-sdk/client-service-quotas')> | undefined;
  let client: Promise<ServiceQuotasClient> | undefined;
  const loadSdk = () => (sdk ??= import('@aws-sdk/client-service-quotas'));

  async function build(): Promise<ServiceQuotasClient> {
    const { ServiceQuotasClient } = await loadSdk();
    return new ServiceQuotasClient({
      region: config.region,
      credentials,
      maxAttempts: 1,
      // HTTP/1.1 like the other Bedrock clients, so VPC proxies and the test mock answer it.
      requestHandler: new NodeHttpHandler({ connectionTimeout: 10_000, socketTimeout: 30_000, ...(lookup ? guardedAgents({ lookup }) : {}) }),
      ...(config.endpointUrl ? { endpoint: config.endpointUrl } : {}),
    });
  }

  return {
    async list(signal) {
      const { ListServiceQuotasCommand } = await loadSdk();
      client ??= build();
      const sq = await client;
      const quotas: ServiceQuota[] = [];
      let nextToken: string | undefined;
      try {
        do {
          const page = await sq.send(new ListServiceQuotasCommand({ ServiceCode: 'bedrock', MaxResults: 100, NextToken: nextToken }), { abortSignal: signal });
          for (const quota of page.Quotas ?? []) {
            if (!quota.QuotaCode || !quota.QuotaName || !isAnthropicQuota(quota.QuotaName)) continue;
            quotas.push({ code: quota.QuotaCode, name: quota.QuotaName, value: quota.Value ?? 0, unit: quota.Unit ?? 'None', adjustable: quota.Adjustable === true });
          }
          nextToken = page.NextToken;
        } while (nextToken);
      } catch (err) {
        if (signal.aborted) throw err;
        throw new Error(quotasUnavailableReason(err), { cause: err });
      }
      return quotas.sort((a, b) => a.name.localeCompare(b.name));
    },

    destroy() {
      void client?.then((sq) => sq.destroy());
    },
  };
}
