/**
 * The router over the endpoint pool: the caller's route, narrowed to the live endpoints that serve
 * the model, in failover order.
 */
import { ApiError } from '../errors.js';
import type { Principal } from '../identity/authenticator.js';
import type { ModelInfo } from '../upstreams/types.js';
import type { EndpointPool } from './endpoint-pool.js';
import type { FailoverReason, RoutedEndpoint, Router } from './router.js';

const MODEL_LIST_TTL_MS = 60_000;

export interface PoolRouterOptions {
  /** An endpoint's model list could not be read (the operator's log and error count get it). */
  readonly onModelListFailure?: (endpoint: RoutedEndpoint, error: unknown) => void;
  readonly onFailover?: (from: RoutedEndpoint, to: RoutedEndpoint, reason: FailoverReason) => void;
}

export class PoolRouter implements Router {
  private readonly modelLists = new Map<string, { at: number; models: Promise<ModelInfo[]> }>();

  constructor(
    private readonly pool: EndpointPool,
    private readonly options: PoolRouterOptions,
  ) {}

  candidates(principal: Principal, model: string): readonly RoutedEndpoint[] {
    const route = this.pool.route(principal);
    if (route.length === 0) {
      throw new ApiError('no_endpoint', 'No upstream endpoint is configured. An administrator can add one with `ccag endpoints add`.');
    }
    const serving = route.filter((endpoint) => endpoint.upstream.serves(model));
    if (serving.length === 0) {
      const whose = principal.teamId ? `team ${this.pool.teamLabel(principal.teamId)}` : 'the default routing';
      throw new ApiError('model_not_found', `model: ${model} is not served by any endpoint of ${whose}.`);
    }
    return serving;
  }

  failedOver(from: RoutedEndpoint, to: RoutedEndpoint, reason: FailoverReason): void {
    this.options.onFailover?.(from, to, reason);
  }

  /** The union of the route's model lists, first endpoint first; each list cached a minute. */
  async models(principal: Principal, signal: AbortSignal): Promise<ModelInfo[]> {
    const route = this.pool.route(principal);
    const lists = await Promise.allSettled(route.map((endpoint) => this.modelsOf(endpoint, signal)));
    if (route.length > 0 && lists.every((list) => list.status === 'rejected')) {
      throw new ApiError('upstream_unreachable', 'The model list could not be read from the upstream.');
    }
    const seen = new Set<string>();
    const models: ModelInfo[] = [];
    for (const list of lists) {
      if (list.status !== 'fulfilled') continue;
      for (const model of list.value) {
        if (seen.has(model.id)) continue;
        seen.add(model.id);
        models.push(model);
      }
    }
    return models;
  }

  private modelsOf(endpoint: RoutedEndpoint, signal: AbortSignal): Promise<ModelInfo[]> {
    const cached = this.modelLists.get(endpoint.id);
    if (cached && Date.now() - cached.at < MODEL_LIST_TTL_MS) return cached.models;
    const models = endpoint.upstream.listModels(signal);
    this.modelLists.set(endpoint.id, { at: Date.now(), models });
    models.catch((error: unknown) => {
      // A failed list is not remembered: the next call asks again.
      if (this.modelLists.get(endpoint.id)?.models === models) this.modelLists.delete(endpoint.id);
      this.options.onModelListFailure?.(endpoint, error);
    });
    return models;
  }
}
