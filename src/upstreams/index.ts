import { createAnthropicUpstream } from './anthropic/index.js';
import { createBedrockUpstream } from './bedrock/index.js';
import type { EndpointConfig, EndpointSecrets, Upstream, UpstreamOptions } from './types.js';

export interface UpstreamFactoryOptions extends UpstreamOptions {
  timeoutMs: number;
}

export function createUpstream(config: EndpointConfig, secrets: EndpointSecrets, options: UpstreamFactoryOptions): Upstream {
  return config.kind === 'anthropic'
    ? createAnthropicUpstream(config, secrets, { timeoutMs: options.timeoutMs })
    : createBedrockUpstream(config, secrets, options);
}

export type { EndpointConfig, EndpointSecrets, Upstream } from './types.js';
