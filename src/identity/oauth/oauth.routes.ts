/**
 * The OAuth authorization server's HTTP face, exactly as Claude Code's `/login` drives it:
 *   GET  /.well-known/oauth-authorization-server   metadata (RFC 8414)
 *   POST /oauth/device_authorization               a device code and user code (RFC 8628)
 *   GET/POST /oauth/device                         the verification page (verification-page.ts)
 *   POST /oauth/token                              device-code and refresh grants
 *   POST /oauth/revoke                             revocation (RFC 7009)
 * Requests are form-encoded (the token endpoint also takes JSON); errors are RFC 6749
 * `{"error","error_description"}` bodies, never cached.
 */
import fastifyFormbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionsService } from '../sessions.service.js';
import type { IdpsService } from '../sso/idps.service.js';
import { displayUserCode } from './codes.js';
import { OAuthError, type OAuthService } from './oauth.service.js';
import { verificationPage } from './verification-page.js';
import { publicBaseOf } from '../public-url.js';

export interface OAuthRoutesDeps {
  readonly oauth: OAuthService;
  readonly sessions: Pick<SessionsService, 'login' | 'verify'>;
  readonly idps: Pick<IdpsService, 'enabled'>;
  /** CCAG_PUBLIC_URL without a trailing slash, when set. */
  readonly publicUrl: string | undefined;
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

type Params = Record<string, unknown>;

const KNOWN_SURFACES: Record<string, string> = { claude_code: 'Claude Code' };

/** A short, printable name for the device, shown on the approval page: nothing here is trusted. */
function clientLabel(params: Params, userAgent: string | undefined): string | null {
  const surface = typeof params.surface === 'string' ? (KNOWN_SURFACES[params.surface] ?? params.surface) : undefined;
  const candidates = [params.client_name, surface, params.client_id, userAgent?.split(/[\s/]/)[0]];
  const label = candidates.find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return label ? label.replace(/[^\x20-\x7e]/g, '').trim().slice(0, 64) || null : null;
}

function param(params: Params, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function renderError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store');
  if (error instanceof OAuthError) {
    void reply.code(error.status).send({ error: error.error, error_description: error.message });
    return;
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    void reply.code(status).send({ error: 'invalid_request', error_description: error.message });
    return;
  }
  request.log.error({ err: error }, 'OAuth request failed');
  void reply.code(500).send({ error: 'server_error', error_description: 'Internal error.' });
}

export async function oauthRoutes(app: FastifyInstance, deps: OAuthRoutesDeps): Promise<void> {
  await app.register(fastifyFormbody);
  app.setErrorHandler(renderError);
  const baseOf = (request: FastifyRequest) => publicBaseOf(request, deps.publicUrl);
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  app.get('/.well-known/oauth-authorization-server', async (request) => {
    const base = baseOf(request);
    return {
      issuer: base,
      device_authorization_endpoint: `${base}/oauth/device_authorization`,
      token_endpoint: `${base}/oauth/token`,
      revocation_endpoint: `${base}/oauth/revoke`,
      grant_types_supported: [DEVICE_CODE_GRANT, 'refresh_token'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
    };
  });

  app.post<{ Body: Params | undefined }>('/oauth/device_authorization', async (request, reply) => {
    const authorization = await deps.oauth.authorizeDevice(clientLabel(request.body ?? {}, request.headers['user-agent']));
    const verificationUri = `${baseOf(request)}/oauth/device`;
    const userCode = displayUserCode(authorization.userCode);
    noStore(reply);
    return {
      device_code: authorization.deviceCode,
      user_code: userCode,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${userCode}`,
      expires_in: authorization.expiresIn,
      interval: authorization.interval,
    };
  });

  app.post<{ Body: Params | undefined }>('/oauth/token', async (request, reply) => {
    const body = request.body ?? {};
    noStore(reply);
    const grantType = param(body, 'grant_type');
    if (grantType === DEVICE_CODE_GRANT) {
      const deviceCode = param(body, 'device_code');
      if (!deviceCode) throw new OAuthError('invalid_request', 'device_code is required.');
      return deps.oauth.exchangeDeviceCode(deviceCode);
    }
    if (grantType === 'refresh_token') {
      const refreshToken = param(body, 'refresh_token');
      if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required.');
      return deps.oauth.refresh(refreshToken);
    }
    throw new OAuthError('unsupported_grant_type', `Supported grant types: ${DEVICE_CODE_GRANT}, refresh_token.`);
  });

  app.post<{ Body: Params | undefined }>('/oauth/revoke', async (request, reply) => {
    const body = request.body ?? {};
    const token = param(body, 'token');
    if (!token) throw new OAuthError('invalid_request', 'token is required.');
    await deps.oauth.revoke(token, param(body, 'token_type_hint'));
    return noStore(reply).code(200).send();
  });

  await verificationPage(app, { oauth: deps.oauth, sessions: deps.sessions, idps: deps.idps, publicUrl: deps.publicUrl });
}
