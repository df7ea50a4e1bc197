/**
 * `ccag login` and `ccag logout`. Login exchanges an admin username and password for a session
 * token and saves it for that gateway; the password never touches argv (it would show in `ps` and
 * shell history): it comes from a hidden prompt, `--password-stdin`, or `$CCAG_PASSWORD`.
 * `ccag login --sso` instead runs the gateway's device flow (the one Claude Code's `/login` uses):
 * it prints a link and a code, waits while the person approves in a browser, and saves the
 * access and refresh tokens that `ccag token` hands to Claude Code's `apiKeyHelper`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { AdminApiError, CliError, UsageError } from '../errors.js';
import { gatewayOptions, runGatewayCommand, type GatewayContext } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime } from '../output.js';
import { OAuthClient, OAuthRefusal, type TokenSet } from '../oauth-client.js';
import { canPrompt, promptHidden, promptLine, readSecretFromStdin } from '../prompt.js';

interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
  sso?: boolean;
}

/** How this CLI names itself on the gateway's approval page. */
const CLIENT_NAME = 'ccag CLI';
/** RFC 8628 §3.5: each `slow_down` adds this many seconds to the polling interval. */
const SLOW_DOWN_STEP_S = 5;

export function registerLoginCommands(program: Command, io: CliIo): void {
  gatewayOptions(program.command('login'), { withToken: false })
    .description('log in to a gateway and save the token: as an admin with a password, or with --sso through a browser')
    .option('--username <name>', 'admin username (default: $CCAG_USERNAME, else prompted)')
    .option('--password-stdin', 'read the password from stdin (default: $CCAG_PASSWORD, else prompted)')
    .option('--sso', 'sign in through the browser (single sign-on or password) with a device code, for Claude Code and the CLI')
    .action((options: LoginOptions, command: Command) =>
      runGatewayCommand(io, command, (context) => (options.sso ? loginWithDevice(context, options) : login(context, options))),
    );

  gatewayOptions(program.command('logout'))
    .description('end the session on the gateway and forget the saved token')
    .action((_options: unknown, command: Command) => runGatewayCommand(io, command, logout));
}

async function login(context: GatewayContext, options: LoginOptions): Promise<void> {
  const { io, url, client, credentials, out } = context;
  const username = options.username ?? nonEmpty(io.env.CCAG_USERNAME) ?? (canPrompt(io) ? await promptLine(io, 'Username: ') : undefined);
  if (!username) throw new UsageError('no username: pass --username or set $CCAG_USERNAME (stdin is not a terminal, so it cannot be prompted)');

  let password: string | undefined;
  if (options.passwordStdin) password = await readSecretFromStdin(io, 'password', '--password-stdin');
  else password = nonEmpty(io.env.CCAG_PASSWORD) ?? (canPrompt(io) ? await promptHidden(io, 'Password: ') : undefined);
  if (!password) throw new UsageError('no password: use --password-stdin, set $CCAG_PASSWORD, or run in a terminal to be prompted');

  const session = await client.login(username, password);
  credentials.save({ url, token: session.token, username: session.user.email, expires_at: session.expires_at, saved_at: io.now().toISOString() });
  out.done(`Logged in to ${url} as ${session.user.email} (${session.user.role}); the session expires ${formatTime(session.expires_at)} UTC.`, {
    url,
    user: session.user,
    expires_at: session.expires_at,
  });
}

async function loginWithDevice(context: GatewayContext, options: LoginOptions): Promise<void> {
  const { url, out } = context;
  if (options.username !== undefined || options.passwordStdin) throw new UsageError('--sso signs in through the browser: drop --username and --password-stdin');
  const saved = await signInWithDevice(context);
  out.done(`Signed in to ${url} as ${saved.username ?? 'you'}; "ccag token" prints a fresh access token until the sign-in ends.`, {
    url,
    email: saved.username ?? null,
    expires_at: saved.expires_at,
  });
}

/**
 * The device flow: link and code on stderr (stdout may be piped), then poll until decided, and
 * save the tokens. Prints nothing on stdout, so `ccag setup --sso --login` can use it too.
 */
export async function signInWithDevice(context: Pick<GatewayContext, 'io' | 'url' | 'credentials'>) {
  const { io, url } = context;
  const oauth = new OAuthClient(url);
  try {
    const device = await oauth.authorizeDevice(CLIENT_NAME);
    io.stderr.write(
      `To sign in, open this page in a browser:\n\n  ${device.verification_uri_complete ?? device.verification_uri}\n\n` +
        `and check that it shows the code ${device.user_code}. Waiting for approval...\n`,
    );
    const tokens = await waitForApproval(oauth, device.device_code, device.interval ?? SLOW_DOWN_STEP_S, io.now().getTime() + device.expires_in * 1000, io.now);
    return saveTokens(context, tokens, tokens.email);
  } finally {
    await oauth.close();
  }
}

async function waitForApproval(oauth: OAuthClient, deviceCode: string, intervalS: number, deadline: number, now: () => Date): Promise<TokenSet> {
  for (let interval = intervalS; now().getTime() < deadline; ) {
    await sleep(interval * 1000);
    try {
      return await oauth.pollDevice(deviceCode);
    } catch (error) {
      if (!(error instanceof OAuthRefusal)) throw error;
      if (error.error === 'authorization_pending') continue;
      if (error.error === 'slow_down') interval += SLOW_DOWN_STEP_S;
      else if (error.error === 'access_denied') throw new CliError('the sign-in was denied in the browser');
      else if (error.error === 'expired_token') break;
      else throw new CliError(`the gateway refused the sign-in (${error.message})`);
    }
  }
  throw new CliError('the code expired before the sign-in was approved; run "ccag login --sso" again');
}

/** Saves an access/refresh pair as this gateway's login; `ccag token` and admin commands use it. */
export function saveTokens(context: Pick<GatewayContext, 'io' | 'url' | 'credentials'>, tokens: TokenSet, email: string | undefined) {
  const { io, url, credentials } = context;
  const saved = {
    url,
    token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    username: email,
    expires_at: new Date(io.now().getTime() + tokens.expires_in * 1000).toISOString(),
    saved_at: io.now().toISOString(),
  };
  credentials.save(saved);
  return saved;
}

async function logout(context: GatewayContext): Promise<void> {
  const { url, client, credentials, out, token, tokenSource } = context;
  if (!token) {
    out.done(`Not logged in to ${url}.`, { url, logged_out: false });
    return;
  }
  let failure: unknown;
  try {
    const refreshToken = credentials.get(url)?.refresh_token;
    if (refreshToken && tokenSource === 'saved') await revokeGrant(url, refreshToken);
    else await client.logout();
  } catch (error) {
    // 401: the token was already expired or revoked, which is what logout wants anyway.
    if (!(error instanceof AdminApiError && error.status === 401)) failure = error;
  }
  // Forget the saved token even if the gateway could not be told: the user asked to log out here.
  const saved = credentials.get(url);
  const forgotten = saved !== undefined && (tokenSource === 'saved' || saved.token === token) && credentials.forget(url);
  if (failure) {
    if (forgotten) out.warn(`the saved token for ${url} was forgotten, but the gateway did not confirm the session ended; it stays valid until it expires`);
    throw failure;
  }
  out.done(`Logged out of ${url}.`, { url, logged_out: true });
}

async function revokeGrant(url: string, refreshToken: string): Promise<void> {
  const oauth = new OAuthClient(url);
  try {
    await oauth.revoke(refreshToken);
  } finally {
    await oauth.close();
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
