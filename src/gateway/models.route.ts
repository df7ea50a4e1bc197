/**
 * GET /v1/models: the models the caller's route can use and the caller's policy allows, in the
 * Anthropic API's list shape (what Claude Code's gateway model discovery reads, with
 * `?limit=1000` and a 3-second timeout).
 */
import type { FastifyRequest } from 'fastify';
import type { GatewayDeps } from './deps.js';
import { authenticate } from './pipeline/authenticate.js';

/** Below Claude Code's 3-second discovery timeout: a slow upstream list must not fail discovery. */
const MODEL_LIST_TIMEOUT_MS = 2_500;

export function modelsHandler(deps: GatewayDeps) {
  return async function listModels(request: FastifyRequest) {
    const principal = await authenticate(deps.authenticator, request);
    const routable = await deps.router.models(principal, AbortSignal.timeout(MODEL_LIST_TIMEOUT_MS));
    const data = deps.policy ? routable.filter((model) => deps.policy!.allows(principal, model.id)) : routable;
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  };
}
