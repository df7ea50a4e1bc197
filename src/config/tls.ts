/**
 * Optional TLS termination by the gateway itself (docs/security.md#tls): with CCAG_TLS_CERT_FILE
 * and CCAG_TLS_KEY_FILE set, `ccag serve` listens with HTTPS. Read once at start; a file that
 * cannot be read stops start-up with a message naming the setting.
 */
import { readFileSync } from 'node:fs';
import type { Settings } from './settings.js';
import { SettingsError } from './settings.js';

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

function readPem(path: string, setting: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new SettingsError(`invalid setting ${setting}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The certificate chain and key, or undefined when the gateway serves plain HTTP (TLS ends in front of it). */
export function tlsFiles(settings: Pick<Settings, 'tlsCertFile' | 'tlsKeyFile'>): TlsFiles | undefined {
  if (!settings.tlsCertFile || !settings.tlsKeyFile) return undefined;
  return { cert: readPem(settings.tlsCertFile, 'CCAG_TLS_CERT_FILE'), key: readPem(settings.tlsKeyFile, 'CCAG_TLS_KEY_FILE') };
}
