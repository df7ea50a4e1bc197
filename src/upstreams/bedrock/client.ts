/**
 * The AWS SDK clients of one Bedrock endpoint: the runtime (invoke, stream, count tokens) and the
 * control plane (inference profiles), sharing one credential source.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { BedrockClient, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { BedrockEndpointConfig, EndpointSecrets, UpstreamOptions } from '../types.js';

export interface BedrockClients {
  runtime: BedrockRuntimeClient;
  control: BedrockClient;
  destroy(): void;
}

/** Refresh temporary credentials this long before they expire, so no request signs with stale ones. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * One credential lookup for both clients: each SDK client caches credentials on its own, which
 * would double the STS AssumeRole calls. Failures are not cached, so the next request retries.
 */
export function sharedCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let inflight: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > EXPIRY_MARGIN_MS)) return cached;
    inflight ??= provider()
      .then((identity) => (cached = identity))
      .finally(() => (inflight = undefined));
    return inflight;
  };
}

/** The endpoint's stored access keys as an identity, when it has both parts. */
function staticIdentity(secrets: EndpointSecrets): AwsCredentialIdentity | undefined {
  if (!secrets.accessKeyId || !secrets.secretAccessKey) return undefined;
  return { accessKeyId: secrets.accessKeyId, secretAccessKey: secrets.secretAccessKey, ...(secrets.sessionToken ? { sessionToken: secrets.sessionToken } : {}) };
}

export function credentialsFor(config: BedrockEndpointConfig, secrets: EndpointSecrets): AwsCredentialIdentityProvider {
  switch (config.auth) {
    case 'static': {
      const identity = staticIdentity(secrets);
      if (!identity) throw new Error('Bedrock endpoint with static auth needs accessKeyId and secretAccessKey');
      return async () => identity;
    }
    case 'assume_role': {
      if (!config.roleArn) throw new Error('Bedrock endpoint with assume_role auth needs roleArn');
      // The role is assumed from the stored access keys when the endpoint has them (an IAM user
      // in another account), else from the gateway's default chain (its task or instance role).
      const source = staticIdentity(secrets);
      return sharedCredentials(
        fromTemporaryCredentials({
          params: { RoleArn: config.roleArn, RoleSessionName: 'ccag', ...(secrets.externalId ? { ExternalId: secrets.externalId } : {}) },
          clientConfig: { region: config.region },
          ...(source ? { masterCredentials: source } : {}),
        }),
      );
    }
    case 'default':
      return sharedCredentials(fromNodeProviderChain());
  }
}

function httpHandler(timeoutMs: number, lookup: LookupFunction | undefined): NodeHttpHandler {
  const agentOptions = { keepAlive: true, maxSockets: 256, ...(lookup ? { lookup } : {}) };
  // The runtime client defaults to HTTP/2, which fails against HTTP/1.1 servers (VPC proxies, mocks).
  return new NodeHttpHandler({
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
    connectionTimeout: 10_000,
    // CCAG_UPSTREAM_TIMEOUT_MS: the longest wait for headers and the longest silence in a body
    // (an idle-socket timeout is both). Generous by default: the heartbeat covers long thinking,
    // and only a dead connection is silent this long. It was a fixed 10 minutes, whatever the
    // setting said (regression: test/upstreams/bedrock/upstream-timeout.test.ts).
    socketTimeout: timeoutMs,
  });
}

/**
 * The SSRF guard applies to an admin's endpoint_url only: AWS's own endpoints resolve to private
 * addresses where a VPC interface endpoint serves them, which is how many deployments reach Bedrock.
 */
export function guardedLookup(config: BedrockEndpointConfig, outbound: UpstreamOptions['outbound']): LookupFunction | undefined {
  return config.endpointUrl ? outbound.lookup : undefined;
}

export function createClients(config: BedrockEndpointConfig, secrets: EndpointSecrets, outbound: UpstreamOptions['outbound'], timeoutMs: number): BedrockClients {
  const lookup = guardedLookup(config, outbound);
  const credentials = credentialsFor(config, secrets);
  const common = {
    region: config.region,
    credentials,
    // One attempt: the gateway fails over to another endpoint and cools this one down on
    // throttling, which SDK retries would only delay.
    maxAttempts: 1,
    ...(config.endpointUrl ? { endpoint: config.endpointUrl } : {}),
  };
  const runtime = new BedrockRuntimeClient({ ...common, requestHandler: httpHandler(timeoutMs, lookup) });
  const control = new BedrockClient({ ...common, requestHandler: httpHandler(timeoutMs, lookup) });
  return {
    runtime,
    control,
    destroy() {
      runtime.destroy();
      control.destroy();
    },
  };
}

/** Every system-defined inference profile id in the region. */
export async function listSystemProfiles(control: BedrockClient, signal?: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await control.send(new ListInferenceProfilesCommand({ typeEquals: 'SYSTEM_DEFINED', maxResults: 100, nextToken }), signal ? { abortSignal: signal } : {});
    for (const summary of page.inferenceProfileSummaries ?? []) {
      if (summary.inferenceProfileId) ids.push(summary.inferenceProfileId);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}
