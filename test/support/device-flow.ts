/**
 * Drives the device flow over HTTP as Claude Code and a person's browser do: the client side
 * (device authorization, token polling) and a browser with a cookie jar on the verification page.
 * Shared by the device-flow and `ccag login --sso` end-to-end tests.
 */
import { Browser } from './browser.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<TokenAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function authorizeDevice(base: string): Promise<DeviceAuthorization> {
  const answer = await postForm(`${base}/oauth/device_authorization`, { surface: 'claude_code' });
  if (answer.status !== 200) throw new Error(`device authorization failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as unknown as DeviceAuthorization;
}

export const pollToken = (base: string, deviceCode: string) => postForm(`${base}/oauth/token`, { grant_type: DEVICE_GRANT, device_code: deviceCode });

/** Enters the code, signs in with a local password, and approves (or denies) the device. */
export async function approveWithPassword(base: string, userCode: string, account: { username: string; password: string }, decision: 'approve' | 'deny' = 'approve') {
  const browser = new Browser(base);
  await browser.get(`/oauth/device?user_code=${userCode}`);
  const signIn = await browser.post('/oauth/device', { action: 'code', user_code: userCode });
  if (signIn.status !== 200) throw new Error(`code entry failed: ${signIn.status} ${signIn.html}`);
  const approval = await browser.post('/oauth/device', { action: 'password', user_code: userCode, ...account });
  if (approval.status !== 200 || !approval.html.includes('Approve sign-in')) throw new Error(`sign-in failed: ${approval.status} ${approval.html}`);
  const done = await browser.post('/oauth/device', { action: decision, user_code: userCode });
  if (done.status !== 200) throw new Error(`${decision} failed: ${done.status} ${done.html}`);
  return done.html;
}
