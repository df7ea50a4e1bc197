/** Shared set-up for the Bedrock upstream integration tests: a mock Bedrock and an upstream on it. */
import { createBedrockUpstream } from '../../../src/upstreams/bedrock/index.js';
import type { BedrockEndpointConfig, EndpointSecrets, InboundRequest, MessagesBody, Upstream, UpstreamReply } from '../../../src/upstreams/types.js';
import { startMockBedrock, type MockBedrock, type MockBedrockOptions } from '../../support/mock-bedrock.js';
import { loopbackOutbound } from '../../support/outbound.js';

export const STATIC_SECRETS: EndpointSecrets = { accessKeyId: 'AKIAMOCKSTATIC000001', secretAccessKey: 'mock-secret-key' };

export interface Harness {
  mock: MockBedrock;
  upstream: Upstream;
  warnings: Array<{ obj: object; msg: string }>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { mock?: MockBedrockOptions; config?: Partial<BedrockEndpointConfig>; secrets?: EndpointSecrets; streamPingMs?: number; timeoutMs?: number } = {},
): Promise<Harness> {
  const mock = await startMockBedrock(options.mock);
  const warnings: Harness['warnings'] = [];
  const config: BedrockEndpointConfig = { kind: 'bedrock', region: 'us-east-1', auth: 'static', endpointUrl: mock.url, ...options.config };
  const upstream = createBedrockUpstream(config, options.secrets ?? STATIC_SECRETS, {
    streamPingMs: options.streamPingMs ?? 5_000,
    timeoutMs: options.timeoutMs ?? 60_000,
    log: { warn: (obj, msg) => warnings.push({ obj, msg }) },
    outbound: loopbackOutbound,
  });
  return {
    mock,
    upstream,
    warnings,
    async close() {
      await upstream.close();
      await mock.close();
    },
  };
}

let counter = 0;

export function inbound(body: MessagesBody, init: { headers?: Record<string, string | string[]>; signal?: AbortSignal } = {}): InboundRequest {
  counter += 1;
  return {
    requestId: `req_test_${counter}`,
    rawBody: Buffer.from(JSON.stringify(body)),
    body,
    headers: init.headers ?? {},
    search: '',
    signal: init.signal ?? new AbortController().signal,
  };
}

export function userTurn(text: string, extra: MessagesBody = {}): MessagesBody {
  return { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: text }], ...extra };
}

export async function readAll(reply: UpstreamReply): Promise<string> {
  let out = '';
  for await (const chunk of reply.body) out += Buffer.from(chunk).toString('utf8');
  return out;
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
}
