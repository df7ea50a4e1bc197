/**
 * The device verification page, `GET/POST /oauth/device`: the person enters the code shown in
 * their terminal, signs in (identity provider or local password) unless the browser already has a
 * gateway session, then approves or denies. Forms carry a double-submit CSRF token (a SameSite=Lax
 * cookie plus a hidden field, compared in constant time), and code submissions are limited per
 * client address so user codes cannot be guessed.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { isHttps, sessionTokenOf, setSessionCookie } from '../browser-session.js';
import { message, sendHtml } from '../html-page.js';
import { publicBaseOf } from '../public-url.js';
import { sameSecret } from '../tokens.js';
import { LoginThrottle } from '../login-throttle.js';
import type { SessionsService, SessionUser } from '../sessions.service.js';
import type { IdpsService } from '../sso/idps.service.js';
import { displayUserCode, normalizeUserCode } from './codes.js';
import type { OAuthService } from './oauth.service.js';
import { approval, codeForm, signInChoices } from './verification-html.js';

export interface VerificationPageDeps {
  readonly oauth: Pick<OAuthService, 'lookUpUserCode' | 'decide'>;
  readonly sessions: Pick<SessionsService, 'login' | 'verify'>;
  readonly idps: Pick<IdpsService, 'enabled'>;
  readonly publicUrl: string | undefined;
}

/** Code submissions allowed per client address and minute: plenty for people, useless for guessing. */
const SUBMISSIONS_PER_MINUTE = 10;

const CSRF_COOKIE = 'ccag_csrf';
const PAGE_PATH = '/oauth/device';

type Form = Partial<Record<'csrf' | 'action' | 'user_code' | 'username' | 'password', unknown>>;


export async function verificationPage(app: FastifyInstance, deps: VerificationPageDeps): Promise<void> {
  // The login throttle's sliding window, used as a plain per-address counter of submissions.
  const submissions = new LoginThrottle({ windowMs: 60_000, maxPerAccount: Number.POSITIVE_INFINITY, maxPerAddress: SUBMISSIONS_PER_MINUTE });

  /** The browser's CSRF token, minted (and set as a cookie) on first sight. */
  function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
    const existing = request.cookies[CSRF_COOKIE];
    if (existing) return existing;
    const token = randomBytes(32).toString('base64url');
    void reply.setCookie(CSRF_COOKIE, token, { path: PAGE_PATH, httpOnly: true, sameSite: 'lax', secure: isHttps(request, deps.publicUrl) });
    return token;
  }

  async function signedIn(request: FastifyRequest): Promise<SessionUser | undefined> {
    const token = sessionTokenOf(request);
    return token ? deps.sessions.verify(token) : undefined;
  }

  function signInPage(request: FastifyRequest, reply: FastifyReply, csrf: string, userCode: string, status = 200, problem?: string) {
    const base = publicBaseOf(request, deps.publicUrl);
    const returnTo = `${PAGE_PATH}?user_code=${userCode}`;
    const idps = deps.idps.enabled().map((idp) => ({
      displayName: idp.displayName,
      loginUrl: `${base}/auth/oidc/${encodeURIComponent(idp.name)}/login?return_to=${encodeURIComponent(returnTo)}`,
    }));
    return sendHtml(reply, status, signInChoices(csrf, userCode, idps, problem));
  }

  app.get<{ Querystring: { user_code?: string } }>(PAGE_PATH, async (request, reply) => {
    const prefilled = normalizeUserCode(request.query.user_code);
    return sendHtml(reply, 200, codeForm(csrfToken(request, reply), prefilled ? displayUserCode(prefilled) : ''));
  });

  app.post<{ Body: Form | undefined }>(PAGE_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const csrf = request.cookies[CSRF_COOKIE];
    if (!sameSecret(form.csrf, csrf)) {
      return sendHtml(reply, 403, message('Form expired', 'This form could not be verified. Open the sign-in link again.', { href: PAGE_PATH, label: 'Start again' }));
    }
    const wait = submissions.retryAfter('', request.ip);
    if (wait > 0) {
      void reply.header('retry-after', String(wait));
      return sendHtml(reply, 429, message('Too many attempts', `Too many codes were entered from your address. Wait ${wait} seconds and try again.`));
    }
    // Every code typed in counts, and so does any other form naming a code that is not waiting:
    // guessing codes costs the same whichever button carries the guess.
    if (form.action === 'code') submissions.recordFailure('', request.ip);

    const userCode = normalizeUserCode(form.user_code);
    const shown = userCode ? displayUserCode(userCode) : typeof form.user_code === 'string' ? form.user_code.slice(0, 20) : '';
    const found = userCode ? await deps.oauth.lookUpUserCode(userCode) : undefined;
    if (found?.state !== 'pending' && form.action !== 'code') submissions.recordFailure('', request.ip);
    if (!found) return sendHtml(reply, 400, codeForm(csrf!, shown, 'That is not a valid code: it has 8 letters, like BCDF-GHJK.'));
    if (found.state !== 'pending') {
      const problems = {
        unknown: 'No sign-in is waiting for that code. Check it and try again.',
        expired: 'That code has expired. Start signing in again in your terminal to get a new one.',
        used: 'That code was already used. Start signing in again in your terminal to get a new one.',
      } as const;
      return sendHtml(reply, found.state === 'unknown' ? 404 : 410, codeForm(csrf!, found.state === 'unknown' ? shown : '', problems[found.state]));
    }
    const client = found.code.client ?? 'a device';

    let user = await signedIn(request);
    if (form.action === 'password') {
      try {
        const session = await deps.sessions.login(String(form.username ?? ''), String(form.password ?? ''), request.ip);
        setSessionCookie(reply, session.token, session.user.expiresAt, isHttps(request, deps.publicUrl));
        user = session.user;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.headers['retry-after']) void reply.header('retry-after', error.headers['retry-after']);
        return signInPage(request, reply, csrf!, shown, error.status, error.message);
      }
    }
    if (!user) return signInPage(request, reply, csrf!, shown);

    if (form.action === 'approve' || form.action === 'deny') {
      const approve = form.action === 'approve';
      if (!(await deps.oauth.decide(found.code, user.userId, approve))) {
        return sendHtml(reply, 410, codeForm(csrf!, '', 'That code is no longer waiting for approval. Start signing in again in your terminal.'));
      }
      return sendHtml(
        reply,
        200,
        approve
          ? message('Device approved', `${client} is now signed in as ${user.email}. You can close this window and return to your terminal.`)
          : message('Sign-in denied', `The sign-in of ${client} was refused. You can close this window.`),
      );
    }
    return sendHtml(reply, 200, approval(csrf!, shown, client, user.email));
  });
}
