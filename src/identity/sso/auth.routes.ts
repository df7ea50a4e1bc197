/**
 * Browser sign-in through an OIDC identity provider, and the browser's gateway session:
 *   GET  /auth/providers                 the enabled IdPs and their login URLs (public)
 *   GET  /auth/oidc/:name/login          → the IdP (authorization code + PKCE)
 *   GET  /auth/oidc/callback             ← the IdP; sign-in rules; session cookie; → return_to
 *   POST /auth/login                     a local password → session cookie (the portal's sign-in form)
 *   GET  /auth/session                   who the cookie belongs to, and its CSRF token (for the portal)
 *   POST /auth/logout                    ends it
 * The session token itself never reaches script: it lives only in the HttpOnly cookie.
 * Sign-in failures are short HTML pages a person can act on; the JSON routes use the admin
 * error shape `{"error":{"code","message"}}`.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import type { SecretBox } from '../../config/secret-box.js';
import { ApiError } from '../../errors.js';
import { message, sendHtml } from '../html-page.js';
import { clearSessionCookie, isHttps, sessionTokenOf, setSessionCookie } from '../browser-session.js';
import type { SessionsService } from '../sessions.service.js';
import type { UserDirectory } from '../user-directory.js';
import type { DiscoveryCache } from './discovery.js';
import type { IdentityProvider, IdpsService } from './idps.service.js';
import { finishLogin, openPending, PENDING_LOGIN_TTL_MS, sealPending, startLogin } from './oidc-login.js';
import type { SignIn, SignInRefusal } from './sign-in.js';
import { publicBaseOf } from '../public-url.js';
import { CSRF_HEADER, type Csrf } from '../csrf.js';
import type { SessionUser } from '../sessions.service.js';
import { z } from 'zod';

export interface AuthRoutesDeps {
  readonly idps: Pick<IdpsService, 'byName' | 'enabled'>;
  readonly discovery: DiscoveryCache;
  readonly box: SecretBox;
  readonly signIn: SignIn;
  readonly directory: Pick<UserDirectory, 'refresh'>;
  readonly sessions: Pick<SessionsService, 'issue' | 'verify' | 'logout' | 'login'>;
  readonly csrf: Csrf;
  /** The gateway's version, shown in the portal's footer. */
  readonly version: string;
  /** CCAG_PUBLIC_URL without a trailing slash, when set. */
  readonly publicUrl: string | undefined;
}

const PENDING_COOKIE = 'ccag_oidc';
const loginBody = z.object({ username: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });
const PENDING_COOKIE_PATH = '/auth/oidc';

/** A sign-in that cannot go on, with words for the person in front of the browser. */
class SignInFailed extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

function sendPage(reply: FastifyReply, status: number, title: string, text: string): void {
  void sendHtml(reply, status, message(title, text, { href: '/', label: 'Back to CCAG' }));
}

function refusalMessage(reason: SignInRefusal, idp: IdentityProvider): string {
  switch (reason) {
    case 'domain_not_allowed':
      return `Your email domain may not sign in to this gateway through ${idp.displayName}. Ask your administrator.`;
    case 'deactivated':
      return 'Your CCAG account is deactivated. Ask your administrator to reactivate it.';
    case 'not_provisioned':
      return `Your account is not provisioned for ${idp.displayName}; ask your administrator.`;
    case 'no_identity':
      return `${idp.displayName} did not tell CCAG your email address or username. Ask your administrator to check the identity provider's claims.`;
  }
}

/** Only a path on this gateway: one leading slash (`//host` and `/\host` are other origins to a browser). */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !/^\/(?![/\\])/.test(value) || /[\u0000-\u001f]/.test(value)) return '/';
  const base = new URL('http://gateway.invalid');
  const target = new URL(value, base);
  return target.origin === base.origin ? target.pathname + target.search + target.hash : '/';
}

/** Translates what openid-client throws at the callback into what the user is told. */
function callbackFailure(error: unknown, idp: IdentityProvider): SignInFailed {
  if (error instanceof client.AuthorizationResponseError) {
    const detail = error.error_description ? `${error.error}: ${error.error_description}` : error.error;
    return new SignInFailed(403, 'Sign-in refused', `${idp.displayName} did not sign you in (${detail}). Try again or ask your administrator.`);
  }
  if (error instanceof client.ResponseBodyError || error instanceof client.ClientError) {
    return new SignInFailed(400, 'Sign-in failed', `${idp.displayName}'s answer could not be verified (${error.message}). Start signing in again.`);
  }
  return new SignInFailed(502, 'Identity provider unreachable', `CCAG could not complete the sign-in with ${idp.displayName}. Try again in a moment.`);
}

function renderAuthError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof SignInFailed) return sendPage(reply, error.status, error.title, error.message);
  if (error instanceof ApiError) {
    void reply.code(error.status).headers(error.headers).send({ error: { code: error.code, message: error.message } });
    return;
  }
  request.log.error({ err: error }, 'sign-in request failed');
  if (request.url.startsWith(PENDING_COOKIE_PATH)) {
    return sendPage(reply, 500, 'Sign-in failed', 'An error in the gateway stopped the sign-in; your administrator can find it in the log.');
  }
  void reply.code(500).send({ error: { code: 'internal', message: 'Internal error.' } });
}

export async function authRoutes(app: FastifyInstance, deps: AuthRoutesDeps): Promise<void> {
  app.setErrorHandler(renderAuthError);
  const baseOf = (request: FastifyRequest) => publicBaseOf(request, deps.publicUrl);
  const secure = (request: FastifyRequest) => isHttps(request, deps.publicUrl);

  function enabledIdp(name: string): IdentityProvider {
    const idp = deps.idps.byName(name);
    if (!idp?.enabled) throw new SignInFailed(404, 'Unknown identity provider', `This gateway has no identity provider named "${name}".`);
    return idp;
  }

  app.get('/auth/providers', async (request) => ({
    data: deps.idps.enabled().map((idp) => ({
      name: idp.name,
      display_name: idp.displayName,
      login_url: `${baseOf(request)}/auth/oidc/${idp.name}/login`,
    })),
  }));

  app.get<{ Params: { name: string }; Querystring: { return_to?: string } }>('/auth/oidc/:name/login', async (request, reply) => {
    const idp = enabledIdp(request.params.name);
    const redirectUri = `${baseOf(request)}/auth/oidc/callback`;
    let started: Awaited<ReturnType<typeof startLogin>>;
    try {
      started = await startLogin(deps.discovery, idp, redirectUri, safeReturnTo(request.query.return_to));
    } catch (error) {
      request.log.warn({ err: error, idp: idp.name }, 'OIDC discovery failed');
      throw new SignInFailed(502, 'Identity provider unreachable', `CCAG could not reach ${idp.displayName}. Try again in a moment.`);
    }
    void reply.setCookie(PENDING_COOKIE, sealPending(deps.box, started.pending), {
      path: PENDING_COOKIE_PATH,
      httpOnly: true,
      // Lax: the cookie must ride along on the IdP's top-level redirect back to the callback.
      sameSite: 'lax',
      secure: secure(request),
      maxAge: PENDING_LOGIN_TTL_MS / 1000,
    });
    return reply.redirect(started.url.href, 302);
  });

  app.get('/auth/oidc/callback', async (request, reply) => {
    const pending = openPending(deps.box, request.cookies[PENDING_COOKIE]);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    void reply.clearCookie(PENDING_COOKIE, { path: PENDING_COOKIE_PATH });
    // A missing cookie or another state: expired, already used, or a login forced on this browser by someone else.
    if (!pending || new URLSearchParams(query).get('state') !== pending.state) {
      throw new SignInFailed(400, 'Sign-in expired', 'This sign-in has expired, was already used, or was started in another browser. Start signing in again.');
    }
    const idp = enabledIdp(pending.idp);
    let claims;
    try {
      claims = await finishLogin(deps.discovery, idp, pending, query);
    } catch (error) {
      request.log.warn({ err: error, idp: idp.name }, 'OIDC callback failed');
      throw callbackFailure(error, idp);
    }
    // Sign-in is rare and must see a deactivation made on another replica a moment ago.
    await deps.directory.refresh();
    const result = await deps.signIn(idp, claims);
    if ('refused' in result) {
      request.log.info({ idp: idp.name, reason: result.refused }, 'single sign-on refused');
      throw new SignInFailed(403, 'Sign-in refused', refusalMessage(result.refused, idp));
    }
    const session = await deps.sessions.issue(result.user);
    setSessionCookie(reply, session.token, session.user.expiresAt, secure(request));
    return reply.redirect(pending.returnTo, 302);
  });

  /** What the portal may know about its session: never the token, which stays in the cookie. */
  const sessionView = (request: FastifyRequest, token: string, user: SessionUser) => ({
    expires_at: user.expiresAt === null ? null : new Date(user.expiresAt).toISOString(),
    user: { id: user.userId, email: user.email, role: user.role },
    csrf_token: deps.csrf.tokenFor(token),
    gateway_url: baseOf(request),
    version: deps.version,
  });

  // JSON only: a cross-site form cannot send it without a preflight this gateway never grants,
  // so no other site can sign a visitor in to an account of its choosing (login CSRF).
  app.post('/auth/login', async (request, reply) => {
    if (!request.headers['content-type']?.startsWith('application/json')) {
      throw new ApiError('invalid_request', 'Send the username and password as JSON.');
    }
    const parsed = loginBody.safeParse(request.body);
    if (!parsed.success) throw new ApiError('invalid_request', 'Enter a username and a password.');
    const session = await deps.sessions.login(parsed.data.username, parsed.data.password, request.ip);
    setSessionCookie(reply, session.token, session.user.expiresAt, secure(request));
    return sessionView(request, session.token, session.user);
  });

  app.get('/auth/session', async (request) => {
    const token = sessionTokenOf(request);
    const user = token ? await deps.sessions.verify(token) : undefined;
    if (!token || !user) throw new ApiError('missing_credentials', 'Not signed in.');
    return sessionView(request, token, user);
  });

  // Needs the CSRF header like every other write, so another site cannot sign a visitor out.
  app.post('/auth/logout', async (request, reply) => {
    const token = sessionTokenOf(request);
    if (token) {
      if (!deps.csrf.verify(token, request.headers[CSRF_HEADER])) {
        throw new ApiError('csrf_failed', `Signing out needs the ${CSRF_HEADER} header from GET /auth/session; reload the page.`);
      }
      await deps.sessions.logout(token);
    }
    clearSessionCookie(reply);
    return reply.code(204).send();
  });
}
