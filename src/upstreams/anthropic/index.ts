/**
 * The Anthropic API as an upstream: a verbatim passthrough. Bodies, `anthropic-*` headers and
 * betas go through untouched (never allowlisted); only the credential changes — and, for a model
 * named the Bedrock way or with `[1m]`, the model name (client-model.ts).
 */
import { Agent, request as undiciRequest } from 'undici';
import { dispatchStream, type StreamedResponse } from '../dispatch-stream.js';
import { anthropicIdOf } from '../model-names.js';
import { ApiError } from '../../errors.js';
import { forwardableRequestHeaders, forwardableResponseHeaders } from '../http-headers.js';
import type { AnthropicEndpointConfig, EndpointSecrets, InboundRequest, ModelInfo, Upstream, UpstreamOptions, UpstreamReply } from '../types.js';
import { renamedBody, renameFor, withLongContextBeta, type ModelRename } from './client-model.js';
import { jsonWithClientModel, sseWithClientModel } from './reply-model.js';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';
// Used only for the gateway's own calls (model list, health); client calls keep their version.
const GATEWAY_API_VERSION = '2023-06-01';
const MESSAGES_PATH = '/v1/messages';

export interface AnthropicUpstreamOptions {
  timeoutMs: number;
  outbound: UpstreamOptions['outbound'];
}

function credentialHeaders(apiKey: string): Record<string, string> {
  // Claude subscription OAuth tokens authenticate as a bearer, API keys as x-api-key.
  return apiKey.startsWith('sk-ant-oat') ? { authorization: `Bearer ${apiKey}` } : { 'x-api-key': apiKey };
}

export function createAnthropicUpstream(config: AnthropicEndpointConfig, secrets: EndpointSecrets, options: AnthropicUpstreamOptions): Upstream {
  if (!secrets.apiKey) throw new Error('an Anthropic endpoint needs an API key');
  const baseUrl = (config.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const credentials = credentialHeaders(secrets.apiKey);
  const agent = new Agent({
    connections: 512,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    // Extended thinking can keep a stream silent for minutes; the gateway's own timeout governs.
    bodyTimeout: options.timeoutMs,
    // An admin's base URL dials only addresses the SSRF guard allows; Anthropic's own is public.
    ...(config.baseUrl ? { connect: options.outbound.connector } : {}),
  });

  // A base URL may carry a path (an egress proxy's prefix); dispatch takes origin and path apart.
  const { origin, pathname } = new URL(baseUrl);
  const pathPrefix = pathname.replace(/\/+$/, '');

  /** The rename a request's model needs, if any; a name the API cannot serve is refused here. */
  function renameOf(inbound: InboundRequest): ModelRename | undefined {
    const model = inbound.body.model;
    if (typeof model !== 'string') return undefined;
    const rename = renameFor(model);
    if (rename === null) throw new ApiError('model_not_found', `model: ${model}`);
    return rename;
  }

  /** A 2xx Messages reply under the client's model name. */
  function renamedReplyBody(response: StreamedResponse, rename: ModelRename): AsyncIterable<Uint8Array> {
    const type = String(response.headers['content-type'] ?? '');
    if (response.status >= 300) return response.body;
    if (type.startsWith('text/event-stream')) return sseWithClientModel(response.body, rename.clientModel);
    if (type.includes('json')) return jsonWithClientModel(response.body, rename.clientModel);
    return response.body;
  }

  async function forward(path: string, inbound: InboundRequest): Promise<UpstreamReply> {
    const rename = renameOf(inbound);
    const clientHeaders = forwardableRequestHeaders(inbound.headers);
    const headers = { ...(rename ? withLongContextBeta(clientHeaders, rename) : clientHeaders), ...credentials };
    // Re-serialised only when the model changes: the common case forwards the client's bytes.
    const body = rename ? renamedBody(inbound.body, rename) : inbound.rawBody;
    let response: StreamedResponse;
    try {
      response = await dispatchStream(agent, { origin, path: `${pathPrefix}${path}${inbound.search}`, method: 'POST', headers, body }, inbound.signal);
    } catch (error) {
      if (inbound.signal.aborted) throw error;
      throw new ApiError('upstream_unreachable', 'The upstream API could not be reached.');
    }
    const replyHeaders = forwardableResponseHeaders(response.headers);
    const upstreamRequestId = replyHeaders['request-id'];
    return {
      status: response.status,
      headers: replyHeaders,
      body: rename && path === MESSAGES_PATH ? renamedReplyBody(response, rename) : response.body,
      upstreamModel: rename?.upstreamModel ?? (typeof inbound.body.model === 'string' ? inbound.body.model : ''),
      ...(upstreamRequestId ? { upstreamRequestId } : {}),
    };
  }

  async function getJson(path: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const response = await undiciRequest(`${baseUrl}${path}`, {
      method: 'GET',
      headers: { ...credentials, 'anthropic-version': GATEWAY_API_VERSION },
      signal,
      dispatcher: agent,
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw new Error(`GET ${path} answered ${response.statusCode}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  async function listAll(signal: AbortSignal): Promise<ModelInfo[]> {
    const models: ModelInfo[] = [];
    let after: string | undefined;
    do {
      const page = await getJson(`/v1/models?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`, signal);
      const data = Array.isArray(page.data) ? (page.data as ModelInfo[]) : [];
      models.push(...data.map((m) => ({ id: m.id, display_name: m.display_name ?? m.id, type: 'model' as const, created_at: m.created_at })));
      after = page.has_more === true && typeof page.last_id === 'string' ? page.last_id : undefined;
    } while (after);
    return models;
  }


  return {
    kind: 'anthropic',
    messages: (inbound) => forward(MESSAGES_PATH, inbound),
    countTokens: (inbound) => forward('/v1/messages/count_tokens', inbound),
    listModels: listAll,
    // The API is the authority on its model names and takes aliases it does not list (`-latest`,
    // undated names), so every Claude model name is this endpoint's to answer; only names that
    // are not Claude models (another vendor's, an application inference profile ARN) are not.
    serves: (model) => anthropicIdOf(model)?.startsWith('claude-') === true,

    async checkHealth(signal) {
      await getJson('/v1/models?limit=1', signal);
    },

    async close() {
      await agent.close();
    },
  };
}
