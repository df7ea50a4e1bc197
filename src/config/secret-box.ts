/**
 * Encryption at rest for upstream credentials and other secrets: AES-256-GCM under the master
 * key, with a random IV per value. The format is versioned so the key can be rotated later.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettingsError, type Settings } from './settings.js';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SettingsError('the master key must be 32 bytes');
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('unreadable sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

function decodeKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new SettingsError('invalid setting CCAG_MASTER_KEY (masterKey): must be 32 bytes, as 64 hex characters or base64');
  }
  return key;
}

/**
 * The master key: from CCAG_MASTER_KEY, or for the embedded default a key generated once and kept
 * in the data directory. Shared databases need the same key on every replica, so PostgreSQL
 * deployments must set it explicitly.
 */
export function resolveMasterKey(settings: Settings): Buffer {
  if (settings.masterKey) return decodeKey(settings.masterKey);
  if (settings.databaseUrl) {
    throw new SettingsError(
      'invalid setting CCAG_MASTER_KEY (masterKey): required with DATABASE_URL so every replica can read the stored credentials; generate one with `openssl rand -hex 32`',
    );
  }
  const file = join(settings.dataDir, 'master.key');
  if (existsSync(file)) return decodeKey(readFileSync(file, 'utf8'));
  mkdirSync(settings.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
