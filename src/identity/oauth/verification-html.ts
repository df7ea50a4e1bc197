/**
 * The device verification page's HTML: one `<main>` with a heading and labelled controls (the
 * shell is html-page.ts). Every form posts back to /oauth/device with the CSRF field; every
 * dynamic value is escaped.
 */
import { escapeHtml, page } from '../html-page.js';

export interface IdpChoice {
  readonly displayName: string;
  readonly loginUrl: string;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
const problem = (message: string | undefined) => (message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '');

/** Step 1: the code shown by Claude Code or `ccag login --sso`, pre-filled from the link but never submitted for the user. */
export function codeForm(csrf: string, userCode: string, message?: string): string {
  return page(
    'Sign in a device',
    `${problem(message)}<p>Enter the code shown in your terminal.</p>` +
      `<form method="post" action="/oauth/device">${hidden('csrf', csrf)}${hidden('action', 'code')}` +
      `<label for="user_code">Code</label><input id="user_code" name="user_code" class="code" value="${escapeHtml(userCode)}" ` +
      `autocomplete="off" autocapitalize="characters" spellcheck="false" required>` +
      `<button type="submit">Continue</button></form>`,
  );
}

/** Step 2 without a session: one button per identity provider, and the local password form. */
export function signInChoices(csrf: string, userCode: string, idps: readonly IdpChoice[], message?: string): string {
  const providers = idps.map((idp) => `<p><a class="button" href="${escapeHtml(idp.loginUrl)}">Sign in with ${escapeHtml(idp.displayName)}</a></p>`).join('');
  return page(
    'Sign in to approve',
    `${problem(message)}<p>Sign in to approve code <strong class="code">${escapeHtml(userCode)}</strong>.</p>${providers}` +
      `<form method="post" action="/oauth/device">${hidden('csrf', csrf)}${hidden('action', 'password')}${hidden('user_code', userCode)}` +
      `<h2>${idps.length > 0 ? 'Or use a CCAG password' : 'CCAG password'}</h2>` +
      `<label for="username">Email or username</label><input id="username" name="username" autocomplete="username" required>` +
      `<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>` +
      `<button type="submit">Sign in</button></form>`,
  );
}

/** Step 3: the signed-in person confirms (or refuses) the device. */
export function approval(csrf: string, userCode: string, client: string, email: string): string {
  const fields = `${hidden('csrf', csrf)}${hidden('user_code', userCode)}`;
  return page(
    'Approve sign-in',
    `<p>Approve sign-in of <strong>${escapeHtml(client)}</strong> as <strong>${escapeHtml(email)}</strong>?</p>` +
      `<p>Code <strong class="code">${escapeHtml(userCode)}</strong>. Approve only if you started this sign-in yourself.</p>` +
      `<form method="post" action="/oauth/device">${fields}` +
      `<button type="submit" name="action" value="approve">Approve</button>` +
      `<button type="submit" name="action" value="deny">Deny</button></form>`,
  );
}
