/** The data plane: the Anthropic-compatible API Claude Code and the SDKs call. */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.js';
import type { GatewayDeps } from './deps.js';
import { renderAnthropicError } from './error-renderer.js';
import { registerHealthRoutes } from './health.routes.js';
import { messagesHandler } from './messages.route.js';
import { countTokensHandler, modelsHandler } from './passthrough.routes.js';

export async function gatewayPlugin(app: FastifyInstance, deps: GatewayDeps): Promise<void> {
  // Bodies stay raw bytes: parsed once by the route, forwarded verbatim to the Anthropic API.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBodyBytes }, (_request, body, done) => done(null, body));
  app.setErrorHandler(renderAnthropicError);
  app.setNotFoundHandler((request) => {
    throw new ApiError('not_found', `Not found: ${request.method} ${request.url.split('?')[0]}`);
  });

  registerHealthRoutes(app, deps);
  app.post('/v1/messages', messagesHandler(deps));
  app.post('/v1/messages/count_tokens', countTokensHandler(deps));
  app.get('/v1/models', modelsHandler(deps));
}
