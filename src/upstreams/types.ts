/**
 * The one interface every upstream implements. Upstreams know nothing of keys, budgets or the
 * ledger: they take a client request already authenticated and routed, and return the exact bytes
 * the client should see. The gateway meters those bytes, so one meter serves every upstream.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { OutboundGuard } from '../config/outbound-guard.js';

/** A Messages API request as received, parsed once. */
export interface InboundRequest {
  /** Gateway request id, unique per request (also the ledger key). */
  readonly requestId: string;
  /** The body bytes exactly as the client sent them (forwarded verbatim to the Anthropic API). */
  readonly rawBody: Buffer;
  /** The parsed body. Upstreams that must change it copy it first. */
  readonly body: MessagesBody;
  /** Client headers, lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** Query string including the `?`, or '' (e.g. `?beta=true`). */
  readonly search: string;
  /** Fires when the client disconnects or the gateway gives up: abort the upstream call. */
  readonly signal: AbortSignal;
}

/** The fields the gateway reads; everything else passes through untouched. */
export interface MessagesBody {
  model?: unknown;
  stream?: unknown;
  max_tokens?: unknown;
  metadata?: unknown;
  [field: string]: unknown;
}

export interface UpstreamReply {
  status: number;
  /** Headers for the client (hop-by-hop and length headers already removed). */
  headers: Record<string, string>;
  /**
   * Body bytes for the client, yielded as soon as they arrive. For a 2xx streaming reply this is
   * Anthropic SSE. An error thrown while iterating, after the first chunk, becomes an SSE `error`
   * event written by the gateway; throw an `UpstreamStreamError` to choose its type and message.
   */
  body: AsyncIterable<Uint8Array>;
  /** The model id actually invoked upstream (Bedrock id or Anthropic id), used for pricing. */
  upstreamModel: string;
  /** The upstream's own request id, when it sent one. */
  upstreamRequestId?: string;
  /**
   * Usage the body does not report: model calls the gateway already made for this request. A
   * web search loop whose later call fails answers that call's error, but the earlier calls ran
   * and are billed.
   */
  priorUsage?: PriorUsage;
}

/** Tokens and searches of model calls made before the one whose reply the client gets. */
export interface PriorUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWrite5mTokens: number;
  readonly cacheWrite1hTokens: number;
  readonly webSearches: number;
}

/** A failure mid-stream, already translated to Anthropic's error vocabulary. */
export class UpstreamStreamError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamStreamError';
  }
}

export interface ModelInfo {
  id: string;
  display_name: string;
  type: 'model';
  created_at: string;
}

export interface Upstream {
  readonly kind: 'anthropic' | 'bedrock';
  /**
   * POST /v1/messages. Answers upstream error statuses as a reply in Anthropic error shape; throws
   * `ApiError` (src/errors.ts) only for what the gateway itself decides, e.g. an unknown model.
   */
  messages(request: InboundRequest): Promise<UpstreamReply>;
  /** POST /v1/messages/count_tokens: the upstream's real count, or ApiError `not_supported`. */
  countTokens(request: InboundRequest): Promise<UpstreamReply>;
  /** Models this upstream serves. */
  listModels(signal: AbortSignal): Promise<ModelInfo[]>;
  /**
   * Whether this upstream can serve a client's model name (Anthropic id, Bedrock id, profile id
   * or ARN), from what it already knows: answered from memory, on every request's routing. When
   * it does not know yet (discovery pending) it answers true and lets the call decide.
   */
  serves(model: string): boolean;
  /** Bedrock service quotas for the model families it serves, where the credentials allow it. */
  quotas?(signal: AbortSignal): Promise<ServiceQuota[]>;
  /** Resolves when the upstream answers a cheap authenticated call; rejects with the reason. */
  checkHealth(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** One Bedrock service quota (servicequotas:ListServiceQuotas), as the admin API shows it. */
export interface ServiceQuota {
  readonly code: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly adjustable: boolean;
}

/** Non-secret endpoint settings, as stored in `endpoints.config`. */
export type EndpointConfig = AnthropicEndpointConfig | BedrockEndpointConfig;

export interface AnthropicEndpointConfig {
  kind: 'anthropic';
  /** Default https://api.anthropic.com */
  baseUrl?: string;
}

export interface BedrockEndpointConfig {
  kind: 'bedrock';
  region: string;
  /** `default` chain, `static` keys, or `assume_role` (from the default chain) with external id. */
  auth: 'default' | 'static' | 'assume_role';
  roleArn?: string;
  /** Overrides the runtime endpoint (VPC endpoints, tests). Also used for the control plane. */
  endpointUrl?: string;
  /** Inference profile prefix to invoke (`us`, `eu`, `apac`, `global`, ...); derived from the region when absent. */
  routingPrefix?: string;
  /**
   * Application inference profile ARN per model (Anthropic model id, with or without date), for
   * cost-allocation tags: requests for that model invoke the ARN; the ledger keeps the client's model.
   */
  inferenceProfiles?: Record<string, string>;
}

/** Secret endpoint settings, stored encrypted (`endpoints.credentials`). */
export interface EndpointSecrets {
  apiKey?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  externalId?: string;
}

export interface UpstreamOptions {
  /** Interval for `event: ping` while a stream is silent (Bedrock sends none). */
  streamPingMs: number;
  /** Logs upstream detail the client must not see (ARNs, account ids). */
  log: { warn(obj: object, msg: string): void };
  /** The SSRF guard a configured base or endpoint URL connects through (config/outbound-guard.ts). */
  outbound: Pick<OutboundGuard, 'connector' | 'lookup'>;
}
