/**
 * `ccag login` and `ccag logout`. Login exchanges an admin username and password for a session
 * token and saves it for that gateway; the password never touches argv (it would show in `ps` and
 * shell history): it comes from a hidden prompt, `--password-stdin`, or `$CCAG_PASSWORD`.
 */
import type { Command } from 'commander';
import { AdminApiError, UsageError } from '../errors.js';
import { gatewayOptions, runGatewayCommand, type GatewayContext } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime } from '../output.js';
import { canPrompt, promptHidden, promptLine, readSecretFromStdin } from '../prompt.js';

interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
}

export function registerLoginCommands(program: Command, io: CliIo): void {
  gatewayOptions(program.command('login'), { withToken: false })
    .description('log in to a gateway as an admin and save the session token')
    .option('--username <name>', 'admin username (default: $CCAG_USERNAME, else prompted)')
    .option('--password-stdin', 'read the password from stdin (default: $CCAG_PASSWORD, else prompted)')
    .action((options: LoginOptions, command: Command) => runGatewayCommand(io, command, (context) => login(context, options)));

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

async function logout(context: GatewayContext): Promise<void> {
  const { url, client, credentials, out, token, tokenSource } = context;
  if (!token) {
    out.done(`Not logged in to ${url}.`, { url, logged_out: false });
    return;
  }
  let failure: unknown;
  try {
    await client.logout();
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

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
