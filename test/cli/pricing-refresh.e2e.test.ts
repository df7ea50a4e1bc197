/**
 * `ccag pricing refresh` as a user runs it: the built executable against a real gateway (SQLite
 * and PostgreSQL) whose Price List endpoint is the mock (run `npm run build` first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCcag } from '../support/cli-process.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { useMockAwsPricing } from '../support/mock-aws-pricing.js';

const mockPricing = useMockAwsPricing();

describe.each(['sqlite', 'postgres'] as const)('ccag pricing refresh on %s', (database) => {
  let gateway: TestGateway | undefined;
  const configDir = mkdtempSync(join(tmpdir(), 'ccag-cli-'));
  const ccag = (args: string[]) => runCcag(args, { configDir, env: { CCAG_URL: gateway!.url } });

  beforeAll(async () => {
    gateway = await startGateway({ database, env: { CCAG_AWS_PRICING_ENDPOINT: mockPricing().url } });
    if (!gateway) return;
    const login = await runCcag(['login', '--url', gateway.url, '--username', gateway.adminUsername, '--password-stdin'], { configDir, input: `${gateway.adminPassword}\n` });
    if (login.code !== 0) throw new Error(`ccag login failed: ${login.stderr}`);
  });
  afterAll(async () => {
    mockPricing().failWith(undefined);
    await gateway?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('refreshes, says what changed, and keeps the rows set by hand', async ({ skip }) => {
    if (!gateway) return skip();
    expect((await ccag(['pricing', 'set', 'global.anthropic.claude-opus-5', '--input', '4', '--output', '20'])).code).toBe(0);

    const json = await ccag(['pricing', 'refresh', '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { fetched_at: string };
    expect(result).toMatchObject({ updated: 20, added: 6, skipped_manual: 1, models: 4, region: 'us-east-1' });

    const human = await ccag(['pricing', 'refresh']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Refreshed Bedrock prices for 4 models from the AWS Price List \(us-east-1\) at \d{4}-\d\d-\d\d \d\d:\d\d UTC: 26 rows updated, 0 added, 1 manual row kept\.\n$/);

    const [kept] = JSON.parse((await ccag(['pricing', 'list', '--model', 'global.anthropic.claude-opus-5', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(kept).toMatchObject({ model_prefix: 'global.anthropic.claude-opus-5', source: 'manual', input: 4 });
    const [fromAws] = JSON.parse((await ccag(['pricing', 'list', '--model', 'us.anthropic.claude-opus-5', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(fromAws).toMatchObject({ model_prefix: 'us.anthropic.claude-opus-5', source: 'aws', input: 5.5 });
  });

  it('reports an AWS refusal on stderr with exit code 1', async ({ skip }) => {
    if (!gateway) return skip();
    mockPricing().failWith({ status: 400, type: 'AccessDeniedException', message: 'not authorized to perform: pricing:GetProducts' });
    const denied = await ccag(['pricing', 'refresh']);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toBe('');
    expect(denied.stderr).toBe("error: AWS denied pricing:GetProducts. Allow that action in the IAM policy of the gateway's credentials. (HTTP 502, upstream_unreachable)\n");
  });
});
