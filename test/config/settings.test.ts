import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadSettings, SettingsError } from '../../src/config/settings.js';

describe('settings', () => {
  test('defaults: port 8080, embedded data dir, 32 MB bodies, 24 h sessions', () => {
    const settings = loadSettings({ env: {} });
    expect(settings).toMatchObject({ port: 8080, dataDir: './data', maxBodyBytes: 32 * 1024 * 1024, sessionTtlHours: 24 });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  test('a wrong value names the environment variable', () => {
    expect(() => loadSettings({ env: { PORT: 'eighty' } })).toThrow(/PORT \(port\)/);
    expect(() => loadSettings({ env: { CCAG_SESSION_TTL_HOURS: '9000' } })).toThrow(/CCAG_SESSION_TTL_HOURS/);
    expect(() => loadSettings({ env: { DATABASE_URL: 'mysql://x' } })).toThrow(/DATABASE_URL/);
    expect(() => loadSettings({ env: { ADMIN_PASSWORD: 'short' } })).toThrow(SettingsError);
  });

  test('a file provides settings, the environment wins, unknown file keys are refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccag-settings-'));
    const file = join(dir, 'ccag.yaml');
    writeFileSync(file, 'port: 9000\nsessionTtlHours: 12\n');
    expect(loadSettings({ env: {}, file })).toMatchObject({ port: 9000, sessionTtlHours: 12 });
    expect(loadSettings({ env: { PORT: '9100' }, file }).port).toBe(9100);
    writeFileSync(file, 'prot: 9000\n');
    expect(() => loadSettings({ env: {}, file })).toThrow(/prot/);
  });

  test('AWS_DEFAULT_REGION stands in for AWS_REGION', () => {
    expect(loadSettings({ env: { AWS_DEFAULT_REGION: 'eu-west-1' } }).awsRegion).toBe('eu-west-1');
  });

  test('retention: defaults that lose nothing a user expects, set per table, zero days refused', () => {
    expect(loadSettings({ env: {} })).toMatchObject({
      retentionLedgerDays: 400,
      retentionBudgetEventsDays: 400,
      retentionDeliveriesDays: 30,
      retentionDeviceCodesDays: 1,
      retentionIntervalMs: 3_600_000,
      retentionBatchSize: 1_000,
    });
    expect(loadSettings({ env: { CCAG_RETENTION_DELIVERIES_DAYS: '7', CCAG_RETENTION_BATCH_SIZE: '50' } })).toMatchObject({ retentionDeliveriesDays: 7, retentionBatchSize: 50 });
    expect(() => loadSettings({ env: { CCAG_RETENTION_LEDGER_DAYS: '0' } })).toThrow(/CCAG_RETENTION_LEDGER_DAYS/);
  });

  test('the billing group tag key: billing_group unless set, and only a tag key\'s characters', () => {
    expect(loadSettings({ env: {} }).billingGroupTagKey).toBe('billing_group');
    expect(loadSettings({ env: { CCAG_BILLING_GROUP_TAG_KEY: 'cost_center' } }).billingGroupTagKey).toBe('cost_center');
    expect(() => loadSettings({ env: { CCAG_BILLING_GROUP_TAG_KEY: 'cost center' } })).toThrow(/CCAG_BILLING_GROUP_TAG_KEY/);
  });
});
