/**
 * The browser's gateway session: the session token in an HttpOnly, SameSite=Lax cookie, set by
 * the SSO callback and the local password sign-in, and read by the device verification page and
 * the portal (which trades it for a bearer at `GET /auth/session`; other origins cannot read
 * that answer). Secure whenever the gateway is reached over HTTPS.
 */
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'ccag_session';

/** True when the browser reached us over HTTPS, directly or through a proxy that says so. */
export function isHttps(request: FastifyRequest, publicUrl: string | undefined): boolean {
  if (publicUrl) return publicUrl.startsWith('https:');
  return request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: number, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(expiresAt) });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export function sessionTokenOf(request: FastifyRequest): string | undefined {
  return request.cookies[SESSION_COOKIE] || undefined;
}
