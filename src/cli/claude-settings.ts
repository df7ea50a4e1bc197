/**
 * Claude Code's `settings.json`, as `ccag setup` edits it: parse the existing text (refusing
 * anything Claude Code itself would not read, rather than guessing), merge in what one setup
 * mode needs while keeping every other setting and the order of keys, and print it back in the
 * file's own indentation. Pure: no file system, so every case is a golden test.
 *
 * What each mode writes, and why it removes what it removes (Claude Code 2.1.197):
 * - `key`: `env.ANTHROPIC_BASE_URL` and `env.ANTHROPIC_AUTH_TOKEN`. Claude Code sends the token as
 *   `Authorization: Bearer`, and unlike `ANTHROPIC_API_KEY` it never asks "Do you want to use this
 *   API key?" (a prompt whose default answer, No, leaves Claude Code without a credential).
 *   `apiKeyHelper` goes: its output would be sent as `x-api-key` next to the key, and the gateway
 *   tries `x-api-key` first. `env.ANTHROPIC_API_KEY` goes for the same reason.
 * - `sso`: `apiKeyHelper` (`ccag token`) and `env.ANTHROPIC_BASE_URL`. `env.ANTHROPIC_AUTH_TOKEN`
 *   goes because Claude Code prefers it to the helper's output for `Authorization`.
 * - `login`: only `env.ANTHROPIC_BASE_URL`; `/login` in Claude Code does the rest. Every other
 *   credential goes, or Claude Code would use it instead of asking to sign in.
 */
import { CliError } from './errors.js';
import { locateJsonProblem } from './json-location.js';

export type JsonObject = { [name: string]: unknown };

export type SetupMode = { kind: 'key'; key: string } | { kind: 'sso'; helper: string } | { kind: 'login' };

export interface SettingChange {
  /** `apiKeyHelper` or `env.NAME`. */
  readonly setting: string;
  readonly action: 'added' | 'replaced' | 'removed';
}

export interface MergeResult {
  readonly settings: JsonObject;
  /** In a fixed order (env first, then top-level settings); empty when nothing changes. */
  readonly changes: readonly SettingChange[];
}

/** The file cannot be edited safely; the message says why and where (exit 1, nothing written). */
export class SettingsFileError extends CliError {}

const BASE_URL = 'ANTHROPIC_BASE_URL';
export const AUTH_TOKEN = 'ANTHROPIC_AUTH_TOKEN';
export const API_KEY = 'ANTHROPIC_API_KEY';
const API_KEY_HELPER = 'apiKeyHelper';

const FIX_IT = 'fix it and run ccag setup again (nothing was written)';

/**
 * The settings in `text` (undefined: no file yet). Like Claude Code, a byte-order mark is
 * ignored and an empty file is an empty object; comments and trailing commas are refused,
 * because Claude Code would not read such a file either (and rewriting it would drop comments).
 */
export function parseSettings(text: string | undefined, path: string): JsonObject {
  const body = stripBom(text ?? '');
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const found = locateJsonProblem(body);
    const what = found ? `${found.problem} at line ${found.line}, column ${found.column}` : (error as Error).message;
    const hint = found?.problem === 'a comment' ? ' (Claude Code reads settings as plain JSON, without comments)' : '';
    throw new SettingsFileError(`${path} is not valid JSON: ${what}${hint}; ${FIX_IT}`);
  }
  if (!isObject(parsed)) throw new SettingsFileError(`${path} holds ${describeJson(parsed)}, not an object of settings; ${FIX_IT}`);
  if (parsed.env !== undefined && !isObject(parsed.env)) {
    throw new SettingsFileError(`"env" in ${path} is ${describeJson(parsed.env)}, not an object of environment variables; ${FIX_IT}`);
  }
  return parsed;
}

/** The settings with `mode` applied for the gateway at `url`; `current` is not modified. */
export function mergeSetup(current: JsonObject, url: string, mode: SetupMode): MergeResult {
  // undefined: remove. The order here is the order changes are reported in.
  const env = { [BASE_URL]: url, [AUTH_TOKEN]: mode.kind === 'key' ? mode.key : undefined, [API_KEY]: undefined };
  const helper = mode.kind === 'sso' ? mode.helper : undefined;

  const changes: SettingChange[] = [];
  const mergedEnv = applyEntries(isObject(current.env) ? current.env : {}, env, (name, action) => changes.push({ setting: `env.${name}`, action }));
  const settings = applyEntries(current, { env: mergedEnv, [API_KEY_HELPER]: helper }, (name, action) => {
    if (name !== 'env') changes.push({ setting: name, action });
  });
  return { settings: changes.length === 0 ? current : settings, changes };
}

/**
 * A copy of `target` with each entry of `wanted` set (a string or object value) or removed
 * (undefined). Keys keep their place; new ones go at the end, as an editor would add them.
 */
function applyEntries(target: JsonObject, wanted: Record<string, unknown>, report: (name: string, action: SettingChange['action']) => void): JsonObject {
  const result: JsonObject = { ...target };
  for (const [name, value] of Object.entries(wanted)) {
    const present = Object.hasOwn(result, name);
    if (value === undefined) {
      if (!present) continue;
      delete result[name];
      report(name, 'removed');
    } else if (!present) {
      result[name] = value;
      report(name, 'added');
    } else if (result[name] !== value) {
      result[name] = value;
      report(name, 'replaced');
    }
  }
  return result;
}

/** The settings as file text: the indentation and line endings of `original` (else two spaces), a final newline. */
export function formatSettings(settings: JsonObject, original: string | undefined): string {
  const indent = /^([ \t]+)"/m.exec(stripBom(original ?? ''))?.[1] ?? '  ';
  const text = `${JSON.stringify(settings, null, indent)}\n`;
  return original?.includes('\r\n') ? text.replace(/\n/g, '\r\n') : text;
}

/**
 * How a secret is shown: at most its first quarter, and never more than the 14 characters of a
 * key's prefix (`sk-ccag-7Hq2xP…`, what `ccag keys list` shows), so it can be recognised.
 */
export function maskSecret(value: string): string {
  return `${value.slice(0, Math.min(14, Math.floor(value.length / 4)))}…`;
}

/**
 * Environment variables whose values are secrets: `ANTHROPIC_AUTH_TOKEN`, `GITHUB_TOKEN`,
 * `AWS_SECRET_ACCESS_KEY`, `ANTHROPIC_CUSTOM_HEADERS` (often an `Authorization` header), but not
 * `CLAUDE_CODE_API_KEY_HELPER_TTL_MS`.
 */
export const SECRET_ENV_NAME = /(KEY|TOKEN|CREDENTIALS|HEADERS)$|SECRET|PASSWORD/i;

/** A copy for printing: every `env` value with a secret-looking name masked. */
export function maskSettings(settings: JsonObject): JsonObject {
  if (!isObject(settings.env)) return settings;
  const env = Object.fromEntries(
    Object.entries(settings.env).map(([name, value]) => [name, SECRET_ENV_NAME.test(name) && typeof value === 'string' ? maskSecret(value) : value]),
  );
  return { ...settings, env };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
