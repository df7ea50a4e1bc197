/** Collector headers as OTEL_EXPORTER_OTLP_HEADERS writes them, and how a bad one is reported (never quoting a value). */
import { describe, expect, test } from 'vitest';
import { loadSettings, SettingsError } from '../../../src/config/settings.js';
import { HeaderListError, parseHeaderList } from '../../../src/telemetry/relay/header-list.js';

describe('collector header lists', () => {
  test('k=v pairs, names lower-cased, values trimmed and percent-decoded, empty entries ignored', () => {
    expect(parseHeaderList('Authorization=Basic%20dXNlcjpwYXNz, x-scope-orgid = tenant-1,,dd-api-key=abc=def')).toEqual({
      authorization: 'Basic dXNlcjpwYXNz',
      'x-scope-orgid': 'tenant-1',
      'dd-api-key': 'abc=def',
    });
  });

  test('an entry without a name, or with a bad escape, is refused by position', () => {
    expect(() => parseHeaderList('a=1,secret-without-name')).toThrow(new HeaderListError('entry 2 is not a header name followed by =value'));
    expect(() => parseHeaderList('=value')).toThrow(HeaderListError);
    expect(() => parseHeaderList('x-key=%zz')).toThrow(/entry 1 \(x-key\) has a malformed percent-encoding/);
  });

  test('settings: per-signal and shared headers parse at start; a bad list names the variable, not the secret', () => {
    const settings = loadSettings({ env: { CCAG_TELEMETRY_RELAY_HEADERS: 'x-api-key=k1', CCAG_TELEMETRY_RELAY_LOGS_HEADERS: 'x-api-key=k2' } });
    expect(settings.telemetryRelayHeaders).toEqual({ 'x-api-key': 'k1' });
    expect(settings.telemetryRelayLogsHeaders).toEqual({ 'x-api-key': 'k2' });
    let error: unknown;
    try {
      loadSettings({ env: { CCAG_TELEMETRY_RELAY_METRICS_HEADERS: 'sk-live-SECRET' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as Error).message).toMatch(/CCAG_TELEMETRY_RELAY_METRICS_HEADERS/);
    expect((error as Error).message).not.toContain('SECRET');
  });

  test('settings: metrics relayed by default, logs and traces opt-in; collector URLs must be http(s)', () => {
    expect(loadSettings({ env: {} })).toMatchObject({ telemetryRelayMetrics: true, telemetryRelayLogs: false, telemetryRelayTraces: false });
    expect(loadSettings({ env: { CCAG_TELEMETRY_RELAY_LOGS: '1' } }).telemetryRelayLogs).toBe(true);
    expect(() => loadSettings({ env: { CCAG_TELEMETRY_RELAY_TRACES_URL: 'ftp://collector/v1/traces' } })).toThrow(/CCAG_TELEMETRY_RELAY_TRACES_URL .*http/);
  });
});
