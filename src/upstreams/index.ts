import type { EndpointConfig, EndpointSecrets, Upstream, UpstreamOptions } from './types.js';

export interface UpstreamFactoryOptions extends UpstreamOptions {
  timeoutMs: number;
}

/**
 * Builds the client for an endpoint. Each kind's module is loaded on first use: a gateway that
 * only talks to the Anthropic API never loads the AWS SDK (about 25 MB of resident memory).
 */
export async function createUpstream(config: EndpointConfig, secrets: EndpointSecrets, options: UpstreamFactoryOptions): Promise<Upstream> {
  if (config.kind === 'anthropic') {
    const { createAnthropicUpstream } = await import('./anthropic/index.js');
    return createAnthropicUpstream(config, secrets, { timeoutMs: options.timeoutMs, outbound: options.outbound });
  }
  const { createBedrockUpstream } = await import('./bedrock/index.js');
  return createBedrockUpstream(config, secrets, options);
}

export type { EndpointConfig, EndpointSecrets, Upstream } from './types.js';
