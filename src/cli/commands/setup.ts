/**
 * `ccag setup`: points Claude Code on this machine at the gateway by editing a settings.json, by
 * default the user settings where Claude Code looks for them (`$CLAUDE_CONFIG_DIR`, else
 * `~/.claude`). Three ways to authenticate: a virtual key (`--key`), the single sign-on of
 * `ccag login --sso` through `ccag token` as the apiKeyHelper (`--sso`), or Claude Code's own
 * `/login` (neither). The merge rules live in claude-settings.ts; this file picks the file,
 * optionally checks the gateway, writes (with a backup), and says what changed.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { Agent, request } from 'undici';
import { looksLikeVirtualKey } from '../../identity/tokens.js';
import { describeNetworkError } from '../admin-client.js';
import { tokenHelperCommand, locateRunningCcag } from '../ccag-command.js';
import {
  API_KEY,
  AUTH_TOKEN,
  formatSettings,
  maskSecret,
  maskSettings,
  mergeSetup,
  parseSettings,
  type JsonObject,
  type SettingChange,
  type SetupMode,
} from '../claude-settings.js';
import { gatewayOptions, runGatewayCommand, type GatewayContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { readSecretFromStdin } from '../prompt.js';
import { readExisting, writeAtomically } from '../settings-file.js';
import { signInWithDevice } from './login.js';

interface SetupOptions {
  key?: string;
  sso?: boolean;
  login?: boolean;
  project?: boolean;
  settingsFile?: string;
  check?: boolean;
  dryRun?: boolean;
  showSecrets?: boolean;
  json?: boolean;
}

/** A new settings file may hold a key: only its owner reads it. */
const NEW_FILE_MODE = 0o600;
const CHECK_TIMEOUT_MS = 10_000;

const EXAMPLES = `
Examples:
  ccag keys create --user me@example.com --json | jq -r .key | ccag setup --key -
  ccag setup --sso --login --url https://ccag.example.com
  ccag setup --url https://ccag.example.com          # then /login in Claude Code 2.1.195+`;

export function registerSetupCommand(program: Command, io: CliIo): void {
  gatewayOptions(program.command('setup'), { withToken: false })
    .description("configure Claude Code on this machine to use the gateway (edits Claude Code's settings.json)")
    .addOption(new Option('--key <key>', 'authenticate with a virtual key (sk-ccag-...); "-" reads it from stdin, out of shell history').conflicts('sso'))
    .option('--sso', 'authenticate with your single sign-on: "ccag token" becomes Claude Code\'s apiKeyHelper')
    .option('--login', 'with --sso: sign in through the browser first, as "ccag login --sso" does')
    .option('--project', 'edit ./.claude/settings.json (this project) instead of your user settings')
    .addOption(new Option('--settings-file <path>', 'edit this settings file instead').conflicts('project'))
    .option('--check', 'before writing, check that the gateway answers (and accepts the key)')
    .addOption(new Option('--dry-run', 'print the resulting settings and write nothing').conflicts('login'))
    .option('--show-secrets', 'print keys and tokens in full (masked otherwise, e.g. sk-ccag-7Hq2xP…)')
    .addHelpText('after', EXAMPLES)
    .action((options: SetupOptions, command: Command) => runGatewayCommand(io, command, (context) => setup(context, options)));
}

async function setup(context: GatewayContext, options: SetupOptions): Promise<void> {
  const { io, url, credentials } = context;
  if (options.login && !options.sso) throw new UsageError('--login signs in for single sign-on: add --sso');
  const path = settingsPath(io.env, options);
  const { mode, warnings } = await chooseMode(context, options);
  // Read and parse first: a broken file is reported before any browser sign-in or network call.
  const existing = readExisting(path);
  const current = parseSettings(existing.text, path);

  if (options.check) await checkGateway(url, mode);
  if (options.login) {
    const saved = await signInWithDevice(context);
    io.stderr.write(`Signed in to ${url} as ${saved.username ?? 'you'}.\n`);
  }
  const signedIn = mode.kind !== 'sso' || credentials.get(url)?.refresh_token !== undefined;
  const { settings, changes } = mergeSetup(current, url, mode);

  const verb = options.dryRun ? 'would remove' : 'removing';
  for (const change of changes) {
    if (change.action === 'removed') warnings.push(`${verb} ${change.setting} from ${path}: ${REMOVAL_REASON[mode.kind]}`);
  }
  warnings.push(...situationWarnings(context, options, mode, { path, mode: existing.mode }, signedIn));
  for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);

  let backup: string | null = null;
  if (changes.length > 0 && !options.dryRun) {
    if (existing.text !== undefined) {
      backup = `${path}.bak`;
      writeAtomically(backup, existing.text, existing.mode ?? NEW_FILE_MODE);
    }
    writeAtomically(existing.target, formatSettings(settings, existing.text), existing.mode ?? NEW_FILE_MODE);
  }

  const shown = options.showSecrets ? settings : maskSettings(settings);
  if (options.json) {
    const result = { path, url, mode: mode.kind, dry_run: options.dryRun === true, changed: changes.length > 0, backup, changes, settings: shown };
    // Written directly: the shared JSON renderer would hide apiKeyHelper and the token by their names.
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = [headline(url, mode, changes.length > 0, options), ...changeLines(changes, shown)];
  lines.push(fileLine(path, existing.text !== undefined, changes.length > 0, backup, options.dryRun === true));
  if (options.dryRun) lines.push('', formatSettings(shown, existing.text).trimEnd(), '');
  if (options.check) lines.push(`Checked: ${url} answers and ${mode.kind === 'key' ? 'accepts the key' : 'offers sign-in'}.`);
  lines.push(`Next: ${NEXT_STEP[mode.kind](url, signedIn)}`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

function settingsPath(env: CliIo['env'], options: SetupOptions): string {
  if (options.settingsFile !== undefined) return resolve(options.settingsFile);
  if (options.project) return resolve('.claude', 'settings.json');
  // As Claude Code finds its user settings: `CLAUDE_CONFIG_DIR ?? ~/.claude`.
  const claudeDir = env.CLAUDE_CONFIG_DIR ? resolve(env.CLAUDE_CONFIG_DIR) : join(homedir(), '.claude');
  return join(claudeDir, 'settings.json');
}

async function chooseMode(context: GatewayContext, options: SetupOptions): Promise<{ mode: SetupMode; warnings: string[] }> {
  const { io, url } = context;
  if (options.sso) {
    const { location, warnings } = locateRunningCcag(io.env);
    return { mode: { kind: 'sso', helper: tokenHelperCommand(url, location) }, warnings };
  }
  if (options.key === undefined) return { mode: { kind: 'login' }, warnings: [] };
  const key = options.key === '-' ? await readSecretFromStdin(io, 'key', '--key -') : options.key;
  if (!looksLikeVirtualKey(key) || /\s/.test(key)) {
    throw new UsageError('--key takes a virtual key (sk-ccag-..., as "ccag keys create" prints it); for single sign-on use --sso');
  }
  return { mode: { kind: 'key', key }, warnings: [] };
}

const REMOVAL_REASON: Record<SetupMode['kind'], string> = {
  key: 'Claude Code would send that credential alongside the key, and the gateway might use it instead',
  sso: 'Claude Code would send that credential alongside your single sign-on token, and the gateway might use it instead',
  login: 'Claude Code would use that credential instead of asking you to /login',
};

/** What could still stop this from working, given this shell and this file. */
function situationWarnings(
  context: GatewayContext,
  options: SetupOptions,
  mode: SetupMode,
  file: { path: string; mode: number | undefined },
  signedIn: boolean,
): string[] {
  const { io, url } = context;
  const warnings: string[] = [];
  // Settings `env` overrides the shell for the variables it sets, not for the ones it removes.
  for (const name of mode.kind === 'key' ? [API_KEY] : [API_KEY, AUTH_TOKEN]) {
    if (io.env[name]) warnings.push(`${name} is set in this shell; Claude Code started from it would use it too: unset ${name}`);
  }
  if (!signedIn) warnings.push(`you are not signed in to ${url} with single sign-on yet: run "ccag login --sso --url ${url}" (or ccag setup --sso --login)`);
  if (mode.kind === 'key' && options.project) {
    warnings.push('.claude/settings.json is usually committed to version control, and now holds your key; for a key of your own prefer --settings-file .claude/settings.local.json');
  }
  if (mode.kind === 'key' && file.mode !== undefined && (file.mode & 0o077) !== 0) {
    warnings.push(`${file.path} is readable by other users (mode ${file.mode.toString(8)}); with your key in it, run: chmod 600 ${file.path}`);
  }
  const { protocol, hostname } = new URL(url);
  if (protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(hostname)) {
    warnings.push(`${url} is not https: credentials cross the network unencrypted, and Claude Code fetches managed settings only over https`);
  }
  return warnings;
}

/** HEAD / (Claude Code's own connectivity probe), then what the mode relies on: the key on /v1/models, or the sign-in metadata. */
async function checkGateway(url: string, mode: SetupMode): Promise<void> {
  const dispatcher = new Agent({ connect: { timeout: CHECK_TIMEOUT_MS }, keepAliveTimeout: 1_000 });
  const call = async (method: 'HEAD' | 'GET', path: string, headers: Record<string, string> = {}) => {
    try {
      const response = await request(`${url}${path}`, { method, headers, dispatcher, headersTimeout: CHECK_TIMEOUT_MS, bodyTimeout: CHECK_TIMEOUT_MS });
      return { status: response.statusCode, text: await response.body.text() };
    } catch (error) {
      throw new CliError(`cannot reach the gateway at ${url} (${describeNetworkError(error)}); check --url; nothing was written`);
    }
  };
  try {
    const probe = await call('HEAD', '/');
    if (probe.status >= 300) throw new CliError(`${url} answered HEAD / with HTTP ${probe.status}; is it a CCAG gateway? Nothing was written`);
    if (mode.kind === 'key') {
      const models = await call('GET', '/v1/models', { authorization: `Bearer ${mode.key}` });
      if (models.status === 401) throw new CliError('the gateway refused the key (HTTP 401): it is mistyped, revoked or expired; nothing was written');
      if (models.status !== 200) throw new CliError(`GET /v1/models with the key answered HTTP ${models.status}${errorMessage(models.text)}; nothing was written`);
    } else {
      const metadata = await call('GET', '/.well-known/oauth-authorization-server');
      if (metadata.status !== 200) throw new CliError(`${url} offers no sign-in (GET /.well-known/oauth-authorization-server answered HTTP ${metadata.status}); nothing was written`);
    }
  } finally {
    await dispatcher.close();
  }
}

/** `: <message>` from an Anthropic-style error body, if there is one. */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' ? `: ${message}` : '';
  } catch {
    return '';
  }
}

function headline(url: string, mode: SetupMode, changed: boolean, options: SetupOptions): string {
  const uses = options.dryRun ? 'would use' : changed ? 'will use' : 'already uses';
  if (mode.kind === 'key') return `Claude Code ${uses} the gateway ${url} with the key ${options.showSecrets ? mode.key : maskSecret(mode.key)}.`;
  if (mode.kind === 'sso') return `Claude Code ${uses} the gateway ${url} with your single sign-on ("ccag token" as its apiKeyHelper).`;
  return `Claude Code ${uses} the gateway ${url}; you sign in from Claude Code with /login (2.1.195 or later).`;
}

function changeLines(changes: readonly SettingChange[], shown: JsonObject): string[] {
  if (changes.length === 0) return [];
  const width = Math.max(0, ...changes.filter((change) => change.action !== 'removed').map((change) => change.setting.length));
  const valueOf = (setting: string) => (setting.startsWith('env.') ? (shown.env as JsonObject)[setting.slice(4)] : shown[setting]);
  const lines = changes.map(({ setting, action }) =>
    `  ${action.padEnd(8)}  ${action === 'removed' ? setting : `${setting.padEnd(width)}  ${String(valueOf(setting))}`}`.trimEnd(),
  );
  return ['', ...lines, ''];
}

function fileLine(path: string, existed: boolean, changed: boolean, backup: string | null, dryRun: boolean): string {
  if (!changed) return `${path} is already set up: nothing ${dryRun ? 'would change' : 'changed'}.`;
  if (dryRun) return `Dry run: ${path} would be ${existed ? 'updated' : 'created'} as below; nothing was written.`;
  return backup ? `Updated ${path} (the previous version is in ${backup}).` : `Created ${path} (readable by you only).`;
}

const NEXT_STEP: Record<SetupMode['kind'], (url: string, signedIn: boolean) => string> = {
  key: () => 'run claude',
  sso: (url, signedIn) => (signedIn ? 'run claude' : `run "ccag login --sso --url ${url}", then claude`),
  login: () => 'run claude, then /login',
};
