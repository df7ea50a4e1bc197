/**
 * Amazon Bedrock as an Upstream: the Messages API in, Bedrock InvokeModel / stream / CountTokens
 * out, and the client's own model names and error vocabulary back.
 */
import { CountTokensCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { ApiError } from '../../errors.js';
import type { BedrockEndpointConfig, EndpointSecrets, InboundRequest, ModelInfo, Upstream, UpstreamOptions, UpstreamReply } from '../types.js';
import { BetaMemory, blamedBetas } from './beta-memory.js';
import { createClients, guardedLookup, listSystemProfiles } from './client.js';
import { ProfileDiscovery } from './discovery.js';
import { describeFailure } from './errors.js';
import { rewriteMessageBody } from './event-stream-to-sse.js';
import { ApplicationProfiles, availableModels, resolveModel, routingPrefixes, servesModel, type ResolvedModel } from './model-map.js';
import { createQuotaReader } from './quotas.js';
import { errorReply, jsonReply } from './replies.js';
import { translateRequest } from './request-translation.js';
import { streamReply } from './stream-reply.js';

const encoder = new TextEncoder();
const isValidation = (err: unknown) => describeFailure(err).name.toLowerCase() === 'validationexception';

export function createBedrockUpstream(config: BedrockEndpointConfig, secrets: EndpointSecrets, options: UpstreamOptions & { readonly timeoutMs: number }): Upstream {
  const clients = createClients(config, secrets, options.outbound, options.timeoutMs);
  const discovery = new ProfileDiscovery({ list: (signal) => listSystemProfiles(clients.control, signal), log: options.log });
  const betas = new BetaMemory();
  const prefixes = routingPrefixes(config.region, config.routingPrefix);
  const applications = new ApplicationProfiles(config.inferenceProfiles);
  const quotaReader = createQuotaReader(config, clients.control.config.credentials, guardedLookup(config, options.outbound));

  async function resolve(request: InboundRequest): Promise<ResolvedModel> {
    const clientModel = request.body.model;
    if (typeof clientModel !== 'string' || clientModel.trim() === '') throw new ApiError('invalid_request', 'model: Field required');
    const resolved = resolveModel(clientModel, await discovery.catalog(), prefixes, applications);
    if (!resolved) throw new ApiError('model_not_found', `model: ${clientModel}`);
    return resolved;
  }

  /**
   * Sends the translated body; when Bedrock refuses betas, remembers them for this model and sends
   * once more without them. Later requests leave them out from the start.
   */
  async function sendLearningBetas<T>(request: InboundRequest, model: ResolvedModel, countTokens: boolean, send: (body: Uint8Array) => Promise<T>): Promise<T> {
    const key = model.baseModelId ?? model.modelId;
    const build = () => translateRequest(request.headers, request.body, { longContext: model.longContext, withheldBetas: betas.rejected(key), ensureMaxTokens: countTokens });
    let attempt = build();
    try {
      const out = await send(encoder.encode(JSON.stringify(attempt.body)));
      betas.accept(key, attempt.betas);
      return out;
    } catch (err) {
      if (!isValidation(err) || request.signal.aborted) throw err;
      const blamed = blamedBetas(describeFailure(err).message, attempt.betas, betas.accepted(key));
      if (blamed.length === 0) throw err;
      betas.reject(key, blamed);
      options.log.warn({ upstreamModel: model.modelId, betas: blamed }, 'Bedrock rejected betas; retrying without them');
      attempt = build();
      const out = await send(encoder.encode(JSON.stringify(attempt.body)));
      betas.accept(key, attempt.betas);
      return out;
    }
  }

  async function invoke(request: InboundRequest, model: ResolvedModel): Promise<UpstreamReply> {
    const out = await sendLearningBetas(request, model, false, (body) =>
      clients.runtime.send(new InvokeModelCommand({ modelId: model.modelId, body, contentType: 'application/json', accept: 'application/json' }), { abortSignal: request.signal }),
    );
    return jsonReply(200, rewriteMessageBody(out.body, model.clientModel), model.pricedModel, out.$metadata.requestId);
  }

  async function invokeStream(request: InboundRequest, model: ResolvedModel): Promise<UpstreamReply> {
    // Our own controller too: a consumer that stops reading must free the connection at once.
    const stop = new AbortController();
    const signal = AbortSignal.any([request.signal, stop.signal]);
    const out = await sendLearningBetas(request, model, false, (body) =>
      clients.runtime.send(new InvokeModelWithResponseStreamCommand({ modelId: model.modelId, body, contentType: 'application/json', accept: 'application/json' }), { abortSignal: signal }),
    );
    return streamReply(out, { clientModel: model.clientModel, upstreamModel: model.pricedModel, signal, release: () => stop.abort(), options });
  }

  return {
    kind: 'bedrock',

    async messages(request) {
      const model = await resolve(request);
      try {
        return request.body.stream === true ? await invokeStream(request, model) : await invoke(request, model);
      } catch (err) {
        if (request.signal.aborted || err instanceof ApiError) throw err;
        return errorReply(err, options.log, model.pricedModel);
      }
    },

    async countTokens(request) {
      const model = await resolve(request);
      const notSupported = () => new ApiError('not_supported', `count_tokens is not supported for ${model.clientModel} on this endpoint`);
      const base = model.baseModelId;
      if (!base) throw notSupported();
      try {
        const out = await sendLearningBetas(request, model, true, (body) =>
          clients.runtime.send(new CountTokensCommand({ modelId: base, input: { invokeModel: { body } } }), { abortSignal: request.signal }),
        );
        return jsonReply(200, encoder.encode(JSON.stringify({ input_tokens: out.inputTokens ?? 0 })), base, out.$metadata.requestId);
      } catch (err) {
        if (request.signal.aborted || err instanceof ApiError) throw err;
        // Models launched on cross-region profiles only cannot count on bedrock-runtime.
        if (isValidation(err) && /count(ing)?[ _-]?tokens/i.test(describeFailure(err).message)) throw notSupported();
        return errorReply(err, options.log, base);
      }
    },

    serves(model) {
      return servesModel(model, discovery.current(), config.region, applications);
    },

    async listModels(): Promise<ModelInfo[]> {
      return availableModels(await discovery.catalog(), applications);
    },

    quotas: (signal) => quotaReader.list(signal),

    async checkHealth(signal) {
      await clients.control.send(new ListInferenceProfilesCommand({ maxResults: 1 }), { abortSignal: signal });
    },

    async close() {
      discovery.close();
      quotaReader.destroy();
      clients.destroy();
    },
  };
}
