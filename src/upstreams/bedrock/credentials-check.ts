/**
 * The first step of validating a Bedrock endpoint: obtain its credentials exactly as the upstream
 * will (static keys, the default chain, STS AssumeRole) and say how, or say which step failed.
 * Messages name access key ids and role ARNs (not secrets) and never a secret key or token.
 */
import type { BedrockEndpointConfig, EndpointSecrets } from '../types.js';
import { credentialsFor } from './client.js';
import { describeFailure } from './errors.js';

/** AKIA…0002: enough to tell keys apart, not the whole id. */
export function maskAccessKeyId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : '…';
}

function failureText(err: unknown): string {
  const failure = describeFailure(err);
  return failure.message ? `${failure.name}: ${failure.message}` : failure.name;
}

/** Resolves the endpoint's credentials; the answer (or the error's message) says what happened. */
export async function checkBedrockCredentials(config: BedrockEndpointConfig, secrets: EndpointSecrets): Promise<string> {
  let identity;
  try {
    identity = await credentialsFor(config, secrets)();
  } catch (err) {
    if (config.auth === 'assume_role') throw new Error(`STS AssumeRole of ${config.roleArn ?? 'the role'} failed: ${failureText(err)}`, { cause: err });
    if (config.auth === 'default') {
      throw new Error(`no credentials in the gateway's default AWS chain (environment, profile, container or instance role): ${failureText(err)}`, { cause: err });
    }
    throw new Error(`the static keys could not be used: ${failureText(err)}`, { cause: err });
  }
  const key = maskAccessKeyId(identity.accessKeyId);
  switch (config.auth) {
    case 'static':
      return `static access key ${key}`;
    case 'assume_role':
      return `assumed ${config.roleArn}${secrets.externalId ? ' with its external id' : ''} (temporary key ${key})`;
    case 'default':
      return `default AWS chain (access key ${key})`;
  }
}
