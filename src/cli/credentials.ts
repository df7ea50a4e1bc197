/**
 * Saved logins, one per gateway URL, in `credentials.json` under the CLI's config directory:
 * `$CCAG_CONFIG_DIR`, else `$XDG_CONFIG_HOME/ccag`, else `~/.config/ccag`. The file holds session,
 * access and refresh tokens, so it is written with mode 0600 (directory 0700) through a temporary file and a rename:
 * a crash mid-write never leaves a half-written or briefly world-readable file.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './errors.js';

export interface SavedGateway {
  readonly url: string;
  /** The admin session token (`ccag login`) or the OAuth access token (`ccag login --sso`). */
  readonly token: string;
  /** Present after `ccag login --sso`: what `ccag token` trades for a fresh access token. */
  readonly refresh_token?: string;
  readonly username?: string;
  /** When the token stops working, as the gateway reported it at login or refresh (ISO). */
  readonly expires_at?: string;
  readonly saved_at: string;
}

interface CredentialsFile {
  version: 1;
  /** The gateway of the most recent `ccag login`: the default `--url`. */
  current?: string;
  gateways: Record<string, SavedGateway>;
}

export function configDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.CCAG_CONFIG_DIR) return env.CCAG_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'ccag');
  return join(homedir(), '.config', 'ccag');
}

export class CredentialStore {
  private warnedAboutMode = false;

  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  static forEnv(env: Readonly<Record<string, string | undefined>>, warn?: (message: string) => void): CredentialStore {
    return new CredentialStore(join(configDir(env), 'credentials.json'), warn);
  }

  /** The URL of the last gateway logged in to, if any. */
  currentUrl(): string | undefined {
    return this.read().current;
  }

  get(url: string): SavedGateway | undefined {
    return this.read().gateways[url];
  }

  /** Saves a login and makes its gateway the default for later commands. */
  save(entry: SavedGateway): void {
    const file = this.read();
    file.gateways[entry.url] = entry;
    file.current = entry.url;
    this.write(file);
  }

  /**
   * Forgets the token for `url`. The gateway stays the default, so `ccag login` afterwards
   * returns to the same place and other commands say "not logged in to <url>".
   */
  forget(url: string): boolean {
    const file = this.read();
    if (!file.gateways[url]) return false;
    delete file.gateways[url];
    this.write(file);
    return true;
  }

  private read(): CredentialsFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, gateways: {} };
      throw new CliError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    this.checkMode();
    try {
      const parsed = JSON.parse(text) as Partial<CredentialsFile>;
      if (typeof parsed !== 'object' || parsed === null || typeof parsed.gateways !== 'object' || parsed.gateways === null) throw new Error('unexpected shape');
      return { version: 1, current: typeof parsed.current === 'string' ? parsed.current : undefined, gateways: { ...parsed.gateways } };
    } catch {
      throw new CliError(`${this.path} is not a valid credentials file; delete it and run "ccag login" again`);
    }
  }

  private write(file: CredentialsFile): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    // Mode on create is masked by umask and ignored for existing files; set it explicitly.
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }

  private checkMode(): void {
    if (process.platform === 'win32' || this.warnedAboutMode) return;
    const mode = statSync(this.path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      this.warnedAboutMode = true;
      this.warn(`${this.path} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${this.path}`);
    }
  }
}
