/** The root logger's two formats: JSON lines by default, readable lines with LOG_FORMAT=pretty; redaction in both. */
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/telemetry/logger.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    text: () => text,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('createLogger', () => {
  test('JSON by default: one object per line, credentials redacted', async () => {
    const out = sink();
    const log = createLogger(loadSettings({ env: { LOG_LEVEL: 'info' } }), out.stream);
    log.info({ status: 429, token: 'tok-secret-1234567890' }, 'upstream error');
    await settle();
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: 'upstream error', status: 429, token: '[redacted]', service: 'ccag' });
  });

  test('LOG_FORMAT=pretty: a readable line with level and message, credentials redacted', async () => {
    const out = sink();
    const log = createLogger(loadSettings({ env: { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' } }), out.stream);
    log.warn({ status: 502, token: 'tok-secret-1234567890' }, 'upstream error');
    await settle();
    const text = out.text();
    expect(text).toMatch(/WARN.*upstream error/);
    expect(text).toContain('status: 502');
    expect(text).not.toContain('tok-secret');
    expect(() => JSON.parse(text)).toThrow();
  });

  test('LOG_FORMAT accepts only json or pretty', () => {
    expect(() => loadSettings({ env: { LOG_FORMAT: 'xml' } })).toThrow(/LOG_FORMAT/);
  });
});
