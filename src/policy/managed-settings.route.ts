/**
 * GET /managed/settings (spec §13): the caller's Claude Code managed settings, for any data-plane
 * credential. `{uuid, checksum, settings}`, the checksum quoted as the ETag; 304 when the client's
 * If-None-Match already names it; 404 when no policy applies (Claude Code then keeps none).
 * Claude Code asks for it only from an https base URL (docs/policies.md).
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import { renderAnthropicError } from '../gateway/error-renderer.js';
import { authenticate } from '../gateway/pipeline/authenticate.js';
import type { Authenticator } from '../identity/authenticator.js';
import type { CallerPolicies } from './caller-policy.js';
import { etagOf, ifNoneMatchHits } from './checksum.js';

export interface ManagedSettingsDeps {
  readonly authenticator: Authenticator;
  readonly callers: Pick<CallerPolicies, 'resolve'>;
}

export async function managedSettingsRoute(app: FastifyInstance, deps: ManagedSettingsDeps): Promise<void> {
  app.setErrorHandler(renderAnthropicError);
  app.get('/managed/settings', async (request, reply) => {
    const principal = await authenticate(deps.authenticator, request);
    const effective = deps.callers.resolve(principal);
    if (!effective) throw new ApiError('not_found', 'No policy applies to this user, so there are no managed settings.');
    // Per user, and must be revalidated: a saved policy reaches the client at its next fetch.
    void reply.header('etag', etagOf(effective.checksum)).header('cache-control', 'private, no-cache').header('vary', 'authorization, x-api-key');
    if (ifNoneMatchHits(request.headers['if-none-match'], effective.checksum)) return reply.code(304).send();
    return { uuid: effective.uuid, checksum: effective.checksum, settings: effective.settings };
  });
}
