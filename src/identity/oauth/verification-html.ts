/**
 * The device verification page's HTML: small, server-rendered, no scripts or external assets, one
 * `<main>` with a heading and labelled controls. Every form posts back to /oauth/device with the
 * CSRF field; every dynamic value is escaped.
 */
export interface IdpChoice {
  readonly displayName: string;
  readonly loginUrl: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}' +
  'label{display:block;margin:.75rem 0 .25rem}input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}' +
  'button,.button{font-size:1rem;padding:.5rem 1rem;margin:.75rem .5rem 0 0;display:inline-block}' +
  '.code{font-family:ui-monospace,monospace;letter-spacing:.15em}.error{color:#a00}';

export function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)} · CCAG</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
  );
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

export function message(title: string, text: string, link?: { href: string; label: string }): string {
  return page(title, `<p>${escapeHtml(text)}</p>${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''}`);
}
