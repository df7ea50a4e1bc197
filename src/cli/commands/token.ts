/**
 * `ccag token`: prints a currently valid access token from the `ccag login --sso` sign-in, for
 * Claude Code's `apiKeyHelper`. A token that has expired or expires within five minutes is first
 * refreshed (the gateway rotates the pair; the new one is saved), so Claude Code never starts a
 * request with a token about to lapse. Only the token goes to stdout.
 */
import type { Command } from 'commander';
import { gatewayOptions, runGatewayCommand, type GatewayContext } from '../context.js';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { OAuthClient, OAuthRefusal } from '../oauth-client.js';
import { saveTokens } from './login.js';

/** Refresh this long before expiry: a request started now may take minutes to finish streaming. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export function registerTokenCommand(program: Command, io: CliIo): void {
  gatewayOptions(program.command('token'), { withToken: false })
    .description('print a valid access token from "ccag login --sso" (refreshing it when needed), for Claude Code\'s apiKeyHelper')
    .action((_options: unknown, command: Command) => runGatewayCommand(io, command, printToken));
}

async function printToken(context: GatewayContext): Promise<void> {
  const { io, url, credentials, out } = context;
  let saved = credentials.get(url);
  if (!saved?.refresh_token) throw new CliError(`not signed in to ${url} with single sign-on: run "ccag login --sso --url ${url}"`);

  const expiresAt = saved.expires_at ? Date.parse(saved.expires_at) : 0;
  if (!(expiresAt - io.now().getTime() > REFRESH_MARGIN_MS)) {
    const oauth = new OAuthClient(url);
    try {
      saved = saveTokens(context, await oauth.refresh(saved.refresh_token), saved.username);
    } catch (error) {
      if (error instanceof OAuthRefusal && error.error === 'invalid_grant') throw new CliError('your sign-in has ended; run "ccag login --sso"');
      throw error;
    } finally {
      await oauth.close();
    }
  }
  // Written directly: the JSON renderer hides token fields, and here the token is the answer.
  io.stdout.write(out.json ? `${JSON.stringify({ access_token: saved.token, expires_at: saved.expires_at, email: saved.username ?? null }, null, 2)}\n` : `${saved.token}\n`);
}
