/**
 * How a command finds its gateway and session, in one place:
 *   URL:   --url, else $CCAG_URL, else the gateway of the last `ccag login`, else 127.0.0.1:8080.
 *   Token: --token, else $CCAG_TOKEN, else the token saved for that URL by `ccag login`.
 * `runGatewayCommand` builds the client and renderer from those, runs the command, and always
 * releases the client's connections so the process exits promptly.
 */
import type { Command } from 'commander';
import { AdminClient } from './admin-client.js';
import { DEFAULT_GATEWAY_URL, normalizeGatewayUrl } from './arguments.js';
import { CredentialStore } from './credentials.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';
import { Output } from './output.js';
import { VERSION } from './version.js';

export interface GatewayOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

export interface GatewayContext {
  readonly io: CliIo;
  readonly url: string;
  readonly client: AdminClient;
  readonly out: Output;
  readonly credentials: CredentialStore;
  /** Where the token came from; logout only forgets a saved token it actually used. */
  readonly tokenSource: 'flag' | 'env' | 'saved' | 'none';
  readonly token: string | undefined;
}

/** Adds `--url`, `--json` and (unless `withToken` is false) `--token` to a command. */
export function gatewayOptions(command: Command, { withToken = true }: { withToken?: boolean } = {}): Command {
  command.option('--url <gateway>', `gateway URL (default: $CCAG_URL, else the gateway of the last "ccag login", else ${DEFAULT_GATEWAY_URL})`);
  if (withToken) command.option('--token <token>', 'admin session token (default: $CCAG_TOKEN, else the token saved by "ccag login")');
  return command.option('--json', 'print JSON for scripts instead of a table');
}

export function resolveGatewayUrl(flag: string | undefined, io: CliIo, credentials: CredentialStore): string {
  const raw = flag ?? nonEmpty(io.env.CCAG_URL) ?? credentials.currentUrl() ?? DEFAULT_GATEWAY_URL;
  try {
    return normalizeGatewayUrl(raw);
  } catch (error) {
    const source = flag !== undefined ? '--url' : nonEmpty(io.env.CCAG_URL) !== undefined ? '$CCAG_URL' : 'the saved gateway URL';
    throw new UsageError(`${source}: ${(error as Error).message}`);
  }
}

export async function runGatewayCommand(io: CliIo, command: Command, run: (context: GatewayContext) => Promise<void>): Promise<void> {
  const options = command.opts<GatewayOptions>();
  const credentials = CredentialStore.forEnv(io.env, (message) => io.stderr.write(`warning: ${message}\n`));
  const url = resolveGatewayUrl(options.url, io, credentials);

  let token: string | undefined;
  let tokenSource: GatewayContext['tokenSource'] = 'none';
  let missingTokenMessage = `not logged in to ${url}: run "ccag login --url ${url}", or pass --token or set $CCAG_TOKEN`;
  const envToken = nonEmpty(io.env.CCAG_TOKEN);
  if (options.token !== undefined) {
    [token, tokenSource] = [options.token, 'flag'];
  } else if (envToken !== undefined) {
    [token, tokenSource] = [envToken, 'env'];
  } else {
    const saved = credentials.get(url);
    if (saved && saved.expires_at && Date.parse(saved.expires_at) <= io.now().getTime()) {
      missingTokenMessage = `the session for ${url} expired at ${saved.expires_at}: run "ccag login --url ${url}"`;
    } else if (saved) {
      [token, tokenSource] = [saved.token, 'saved'];
    }
  }

  const client = new AdminClient({ baseUrl: url, token, missingTokenMessage, userAgent: `ccag-cli/${VERSION}` });
  try {
    await run({ io, url, client, out: new Output(io, options.json === true), credentials, tokenSource, token });
  } finally {
    await client.close();
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
