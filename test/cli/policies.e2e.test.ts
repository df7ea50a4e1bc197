/**
 * `ccag policies` as a user runs it: the built executable against a real gateway on SQLite and
 * PostgreSQL (run `npx tsc -p tsconfig.json` first). Create with warnings, list, update, move,
 * mode, resolve, drift and delete, by names, in tables and --json.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftRecord, PolicyRecord, ResolveRecord } from '../../src/cli/policies-client.js';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';

describe.each(['sqlite', 'postgres'] as const)('ccag policies on %s', (database) => {
  let cli: LoggedInCli | undefined;

  beforeAll(async () => {
    cli = await startLoggedInCli(database);
    if (!cli) return;
    await cli.gateway.admin('POST', '/teams', { name: 'mobile' });
    await cli.gateway.createKey('ana@example.com');
  });
  afterAll(async () => {
    await cli?.close();
  });

  it('says what to do first when there are no policies', async ({ skip }) => {
    if (!cli) return skip();
    const empty = await cli.ccag(['policies', 'list']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No policies yet');
  });

  it('creates from a settings file with warnings on stderr, lists, updates, moves and deletes by name', async ({ skip }) => {
    if (!cli) return skip();
    const file = join(mkdtempSync(join(tmpdir(), 'ccag-policy-')), 'managed-settings.json');
    writeFileSync(file, JSON.stringify({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' }, unknownThing: 1 }));
    const created = await cli.ccag(['policies', 'create', 'Mobile devs', '--teams', 'mobile', '--domains', 'example.com', '--models', 'claude-sonnet-4*,claude-haiku-4*', '--default-model', 'claude-sonnet-4-5', '--settings', `@${file}`]);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/^warning: settings\.unknownThing: /m);
    expect(created.stdout).toMatch(/^Created policy Mobile devs \(order 1\)\.$/m);
    expect(created.stdout).toMatch(/^Matches: +team:mobile, domain:example\.com$/m);

    const base = await cli.json<PolicyRecord>(['policies', 'create', 'Base', '--everyone', '--settings', '{"cleanupPeriodDays": 30}']);
    expect(base).toMatchObject({ name: 'Base', position: 2, allowed_models: null, match: { everyone: true } });

    const table = await cli.ccag(['policies', 'list']);
    expect(table.stdout).toMatch(/^Mode: first_match$/m);
    expect(table.stdout).toMatch(/^ORDER +NAME +MATCHES +MODELS +DEFAULT MODEL$/m);
    expect(table.stdout).toMatch(/^1 +Mobile devs +team:mobile, domain:example\.com +claude-sonnet-4\*, claude-haiku-4\* +claude-sonnet-4-5$/m);
    expect(table.stdout).toMatch(/^2 +Base +everyone +any/m);

    const moved = await cli.json<PolicyRecord[]>(['policies', 'move', 'base', '1']);
    expect(moved.map((p) => p.name)).toEqual(['Base', 'Mobile devs']);

    // Every save checks the whole document again, so the unknown key is still said.
    const warning = 'warning: settings.unknownThing: not a Claude Code setting this gateway knows; it is sent as written\n';
    const updated = await cli.json<PolicyRecord>(['policies', 'update', 'Mobile devs', '--any-model', '--no-default-model', '--groups', 'Mobile Eng'], warning);
    expect(updated).toMatchObject({ allowed_models: null, default_model: null, match: { groups: ['Mobile Eng'], domains: ['example.com'], teams: [{ name: 'mobile' }] } });

    const bad = await cli.ccag(['policies', 'update', 'Base', '--settings', '{"cleanupPeriodDays": "soon"}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: settings\.cleanupPeriodDays: .*\(HTTP 400, invalid_request\)$/m);
    expect((await cli.ccag(['policies', 'show', 'nope'])).stderr).toBe('error: no policy has the id or name "nope"; see "ccag policies list"\n');
  });

  it('switches the mode, resolves a user and reports drift', async ({ skip }) => {
    if (!cli) return skip();
    expect(await cli.json(['policies', 'mode', 'layered'])).toMatchObject({ mode: 'layered' });
    expect((await cli.ccag(['policies', 'mode'])).stdout).toBe('Mode: layered\n');
    expect((await cli.ccag(['policies', 'mode', 'stacked'])).code).toBe(2);

    const resolved = await cli.json<ResolveRecord>(['policies', 'resolve', 'ana@example.com']);
    expect(resolved.effective?.policies.map((p) => p.name)).toEqual(['Base', 'Mobile devs']);
    expect(resolved.effective?.settings).toEqual({ cleanupPeriodDays: 30, env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' }, unknownThing: 1 });
    const text = await cli.ccag(['policies', 'resolve', 'ana@example.com']);
    expect(text.stdout).toMatch(/^Applied: +Base \+ Mobile devs$/m);

    const drift = await cli.json<DriftRecord>(['policies', 'drift', '--hours', '2']);
    expect(drift.summary.sessions).toBe(0);
    expect((await cli.ccag(['policies', 'drift'])).stdout).toContain('No session is on stale or unknown settings.');

    expect(await cli.json(['policies', 'delete', 'Base'])).toMatchObject({ name: 'Base', deleted: true });
  });
});
