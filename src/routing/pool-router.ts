/**
 * The router over the endpoint pool: the caller's route, narrowed to the live endpoints that serve
 * the model, in failover order; the route's model list; and the failovers counted.
 */
import { ApiError } from '../errors.js';
import type { Principal } from '../identity/authenticator.js';
import type { ModelInfo } from '../upstreams/types.js';
import type { EndpointPool } from './endpoint-pool.js';
import type { EndpointEvent } from './health/endpoint-health.js';
import type { FailoverReason, RoutedEndpoint, Router } from './router.js';

const MODEL_LIST_TTL_MS = 60_000;

export interface PoolRouterOptions {
  /** A team's name, for the error that says its routing cannot serve a model. */
  readonly teamName: (teamId: string) => Promise<string | undefined>;
  /** An endpoint's model list could not be read (the operator's log and error count get it). */
  readonly onModelListFailure?: (endpoint: RoutedEndpoint, error: unknown) => void;
  /** A failover, as a pool event (persisted for the endpoint statistics) and a count. */
  readonly onFailover?: (event: EndpointEvent) => void;
}

export class PoolRouter implements Router {
  private readonly modelLists = new Map<string, { at: number; models: Promise<ModelInfo[]> }>();

  constructor(
    private readonly pool: EndpointPool,
    private readonly options: PoolRouterOptions,
  ) {}

  async candidates(principal: Principal, model: string): Promise<readonly RoutedEndpoint[]> {
    const serving = this.pool.route(principal, model);
    if (serving.length > 0) return serving;
    // The refusal is the rare path: only it pays for looking the team's name up.
    const whose = principal.teamId ? `team ${(await this.options.teamName(principal.teamId)) ?? principal.teamId}` : 'the default routing';
    if (this.pool.routeMembers(principal).length === 0) {
      throw new ApiError('no_endpoint', `No enabled upstream endpoint is in ${whose}. An administrator can add one with \`ccag endpoints add\` or change the routing with \`ccag routing set\`.`);
    }
    throw new ApiError('model_not_found', `model: ${model} is not served by any endpoint of ${whose}.`);
  }

  failedOver(from: RoutedEndpoint, _to: RoutedEndpoint, reason: FailoverReason): void {
    this.options.onFailover?.({ endpointId: from.id, kind: 'failover', reason, durationMs: null, at: Date.now() });
  }

  /** The union of the route's model lists, first endpoint first; each list cached a minute. */
  async models(principal: Principal, signal: AbortSignal): Promise<ModelInfo[]> {
    const route = this.pool.routeMembers(principal);
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
