/**
 * The data plane: the Anthropic Messages API (and, through src/gateway/formats/, other wire
 * formats) that Claude Code and the SDKs call. Each route is a declared pipeline
 * (src/gateway/pipeline/); errors are answered in the route's client format.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { GatewayDeps } from './deps.js';
import { toApiError } from './error-renderer.js';
import { closeIfBodyUnread } from '../http/surface-errors.js';
import { anthropicFormat } from './formats/anthropic.js';
import { bedrockFormat } from './formats/bedrock/index.js';
import { getInferenceProfileHandler, listInferenceProfilesHandler } from './formats/bedrock/inference-profiles.route.js';
import { registerHealthRoutes } from './health.routes.js';
import { modelsHandler } from './models.route.js';
import { billedCall } from './pipeline/billed-call.js';
import type { ClientFormat } from './pipeline/client-format.js';
import { countCall } from './pipeline/count-call.js';
import { authenticateOnHeaders, declarePrincipal } from './pipeline/authenticate.js';
import { assignRequestIds } from './pipeline/request-id.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The client format a data-plane route speaks (its errors are answered in it). */
    clientFormat?: ClientFormat;
  }
}

/** Gateway-made errors in the format of the route that failed (Anthropic for the rest). */
function renderError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
  const format = request.routeOptions.config.clientFormat ?? anthropicFormat;
  const shaped = format.error(apiError.status, apiError.type, apiError.message);
  closeIfBodyUnread(request, reply);
  void reply.code(shaped.status ?? apiError.status).headers({ ...apiError.headers, ...shaped.headers }).send(shaped.body);
}

export async function gatewayPlugin(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  // Bodies stay raw bytes: parsed once by the route, forwarded verbatim to the Anthropic API.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBodyBytes }, (_request, body, done) => done(null, body));
  assignRequestIds(app);
  app.setErrorHandler(renderError);
  app.setNotFoundHandler((request) => {
    throw new ApiError('not_found', `Not found: ${request.method} ${request.url.split('?')[0]}`);
  });

  registerHealthRoutes(app, deps);
  declarePrincipal(app);
  // Routes with a body authenticate on the headers, before the body is read.
  const onRequest = authenticateOnHeaders(deps.authenticator);
  const anthropic = { config: { clientFormat: anthropicFormat } };
  const anthropicWithBody = { ...anthropic, onRequest };
  app.post('/v1/messages', anthropicWithBody, billedCall(deps, anthropicFormat));
  app.post('/v1/messages/count_tokens', anthropicWithBody, countCall(deps, anthropicFormat));
  app.get('/v1/models', anthropic, modelsHandler(deps));

  // Bedrock's runtime API, for Claude Code in CLAUDE_CODE_USE_BEDROCK=1 mode (docs/claude-code-bedrock.md).
  const bedrock = { config: { clientFormat: bedrockFormat } };
  const bedrockWithBody = { ...bedrock, onRequest };
  app.post('/model/:modelId/invoke', bedrockWithBody, billedCall(deps, bedrockFormat));
  app.post('/model/:modelId/invoke-with-response-stream', bedrockWithBody, billedCall(deps, bedrockFormat));
  app.post('/model/:modelId/count-tokens', bedrockWithBody, countCall(deps, bedrockFormat));
  app.get('/inference-profiles', bedrock, listInferenceProfilesHandler(deps));
  app.get('/inference-profiles/:id', bedrock, getInferenceProfileHandler(deps));
}
