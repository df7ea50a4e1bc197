/**
 * `GET /inference-profiles` and `GET /inference-profiles/{id}`: Bedrock's control-plane model
 * listing, answered from the models the caller's route can use and their fleet policy allows (the
 * same rules as `/v1/models`).
 * Authenticated like every data-plane call: with `CLAUDE_CODE_SKIP_BEDROCK_AUTH` Claude Code sends
 * these without a credential, gets 401 and falls back to its built-in model ids.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../../errors.js';
import type { GatewayDeps } from '../../deps.js';
import type { Principal } from '../../../identity/authenticator.js';
import { authenticate } from '../../pipeline/authenticate.js';
import { getInferenceProfile, listInferenceProfiles, type ProfileOptions, type ProfileQuery } from './inference-profiles.js';

/** Claude Code gives ListInferenceProfiles 8 seconds; a slow upstream list must not fail it. */
const MODEL_LIST_TIMEOUT_MS = 5_000;
/** Only written into ARNs, which clients do not invoke. */
const OPTIONS = { region: 'us-east-1' };

function optionsFor(deps: GatewayDeps, principal: Principal): ProfileOptions {
  const policy = deps.policy;
  return policy ? { ...OPTIONS, allows: (profileId) => policy.allows(principal, profileId) } : OPTIONS;
}

export function listInferenceProfilesHandler(deps: GatewayDeps) {
  return async function listInferenceProfilesRoute(request: FastifyRequest<{ Querystring: ProfileQuery }>) {
    const principal = await authenticate(deps.authenticator, request);
    const models = await deps.router.models(principal, AbortSignal.timeout(MODEL_LIST_TIMEOUT_MS));
    return listInferenceProfiles(models, request.query, optionsFor(deps, principal));
  };
}

export function getInferenceProfileHandler(deps: GatewayDeps) {
  return async function getInferenceProfileRoute(request: FastifyRequest<{ Params: { id: string } }>) {
    const principal = await authenticate(deps.authenticator, request);
    const models = await deps.router.models(principal, AbortSignal.timeout(MODEL_LIST_TIMEOUT_MS));
    const profile = getInferenceProfile(models, request.params.id, optionsFor(deps, principal));
    if (!profile) throw new ApiError('not_found', `Inference profile ${request.params.id} not found.`);
    return profile;
  };
}
