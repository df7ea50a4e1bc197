/**
 * `GET /metrics`: the Prometheus text exposition. A scrape is allowed with the scrape token
 * (CCAG_METRICS_TOKEN), an admin session token or an admin API key, all as
 * `Authorization: Bearer`, or by anyone when CCAG_METRICS_OPEN=true (for deployments where the
 * network already restricts who reaches the port). Refusals answer in the admin error shape and
 * count in `ccag.auth_failures.total`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError, type ErrorCode } from '../errors.js';
import type { AdminAuthenticator } from '../identity/admin-auth.js';
import { PROMETHEUS_CONTENT_TYPE, type Metrics } from './metrics.js';
import { bearerOf } from '../identity/authenticator.js';
import { sameSecret } from '../identity/tokens.js';

export interface MetricsRouteOptions {
  readonly metrics: Pick<Metrics, 'scrape'>;
  readonly adminAuth: Pick<AdminAuthenticator, 'resolve'>;
  readonly scrapeToken: string | undefined;
  readonly open: boolean;
  onAuthFailure(reason: 'missing' | 'invalid' | 'forbidden'): void;
}



export async function metricsRoute(app: FastifyInstance, options: MetricsRouteOptions): Promise<void> {
  const refuse = (reply: FastifyReply, reason: 'missing' | 'invalid' | 'forbidden', code: ErrorCode, message: string) => {
    options.onAuthFailure(reason);
    const error = new ApiError(code, message);
    return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
  };

  app.get('/metrics', async (request, reply) => {
    if (!options.open) {
      const token = bearerOf(request.headers);
      if (!token) return refuse(reply, 'missing', 'missing_credentials', 'A scrape token, admin session token or admin API key is required (Authorization: Bearer).');
      if (!sameSecret(token, options.scrapeToken)) {
        const user = await options.adminAuth.resolve(token);
        if (!user) return refuse(reply, 'invalid', 'invalid_credentials', 'The scrape token, session token or admin API key is invalid, expired or revoked.');
        if (user.role !== 'admin') return refuse(reply, 'forbidden', 'forbidden', 'Metrics need the admin role or the scrape token.');
      }
    }
    return reply.code(200).header('content-type', PROMETHEUS_CONTENT_TYPE).send(await options.metrics.scrape());
  });
}
