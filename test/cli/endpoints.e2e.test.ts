/**
 * `ccag endpoints edit | enable | disable | default | remove | validate | models | quotas` through
 * the built CLI (run `npm run build` first) against a real gateway, the mock Bedrock and the mock
 * Anthropic API, on SQLite and PostgreSQL. No output, table or JSON, carries a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCcag, startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';

const PROFILE = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/p0c1i2';
const PROFILE_2 = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/h4i5k6';
const SECRETS = ['aws-cli-secret-one', 'aws-cli-secret-two', 'sk-ant-cli-wrong-key'];

describe.each(['sqlite', 'postgres'] as const)('ccag endpoints management on %s', (database) => {
  let cli: LoggedInCli | undefined;
  let bedrock: MockBedrock;
  let anthropic: MockAnthropic;
  const outputs: string[] = [];

  async function ccag(args: string[], input?: string) {
    // Secrets go in on stdin, as a person would pipe them.
    const result = input === undefined ? await cli!.ccag(args) : await runCcag(args, { configDir: cli!.configDir, input, env: { CCAG_URL: cli!.gateway.url } });
    outputs.push(result.stdout, result.stderr);
    return result;
  }
  async function json<T>(args: string[], input?: string): Promise<T> {
    const result = await ccag([...args, '--json'], input);
    if (result.code !== 0) throw new Error(`ccag ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  beforeAll(async () => {
    bedrock = await startMockBedrock();
    anthropic = await startMockAnthropic();
    cli = await startLoggedInCli(database);
    if (!cli) return;
    const add = await ccag(
      ['endpoints', 'add', 'bedrock', '--name', 'bed', '--region', 'us-east-1', '--access-key-id', 'AKIAMOCKSTATIC000001', '--secret-access-key-stdin', '--endpoint-url', bedrock.url, '--inference-profile', `claude-sonnet-4-5=${PROFILE}`, '--priority', '5'],
      'aws-cli-secret-one\n',
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(new RegExp(`^Inference profiles: +claude-sonnet-4-5=${PROFILE}$`, 'm'));
  });
  afterAll(async () => {
    await cli?.close();
    await Promise.all([bedrock?.close(), anthropic?.close()]);
  });

  it('edits settings and secrets, merging inference profiles', async ({ skip }) => {
    if (!cli) return skip();
    const edited = await json<{ name: string; priority: number; config: { inference_profiles: Record<string, string> } }>(
      ['endpoints', 'edit', 'bed', '--name', 'bedrock-main', '--priority', '3', '--inference-profile', `claude-haiku-4-5=${PROFILE_2}`, '--secret-access-key-stdin'],
      'aws-cli-secret-two\n',
    );
    expect(edited).toMatchObject({ name: 'bedrock-main', priority: 3, config: { inference_profiles: { 'claude-sonnet-4-5': PROFILE, 'claude-haiku-4-5': PROFILE_2 } } });
    const removed = await ccag(['endpoints', 'edit', 'bedrock-main', '--remove-inference-profile', 'claude-sonnet-4-5']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^Updated endpoint bedrock-main\.$/m);
    expect(removed.stdout).toMatch(new RegExp(`^Inference profiles: +claude-haiku-4-5=${PROFILE_2}$`, 'm'));

    expect(await ccag(['endpoints', 'edit', 'bedrock-main'])).toMatchObject({ code: 2, stderr: 'error: nothing to change: give at least one option (see "ccag endpoints edit --help")\n' });
    const wrongRegion = await ccag(['endpoints', 'edit', 'bedrock-main', '--region', 'eu-west-1']);
    expect(wrongRegion.code).toBe(1);
    expect(wrongRegion.stderr).toMatch(/the profile is in us-east-1, the endpoint in eu-west-1 \(HTTP 400, invalid_request\)/);
    expect((await ccag(['endpoints', 'edit', 'bedrock-main', '--inference-profile', 'claude-x'])).code).toBe(2);
  });

  it('enables, disables, sets the default, and shows why a remove is refused', async ({ skip }) => {
    if (!cli) return skip();
    const api = await json<{ id: string }>(['endpoints', 'add', 'anthropic', '--name', 'api', '--base-url', anthropic.url, '--api-key-stdin'], `${anthropic.apiKey}\n`);
    const made = await ccag(['endpoints', 'default', 'api']);
    expect(made.stdout).toMatch(/^api is now the default endpoint\.$/m);
    expect(made.stdout).toMatch(/^Default: +yes$/m);
    const list = await json<Array<{ name: string; is_default: boolean }>>(['endpoints', 'list']);
    expect(list.filter((e) => e.is_default).map((e) => e.name)).toEqual(['api']);

    const refused = await ccag(['endpoints', 'remove', 'api']);
    expect(refused).toMatchObject({ code: 1, stderr: 'error: endpoint api is the default endpoint; make another endpoint the default first (HTTP 409, conflict)\n' });

    expect((await ccag(['endpoints', 'disable', 'api'])).stdout).toMatch(/^Disabled endpoint api\.[\s\S]*^Enabled: +no$/m);
    expect(await json<{ enabled: boolean; is_default: boolean }>(['endpoints', 'enable', api.id])).toMatchObject({ enabled: true, is_default: false });
    expect((await ccag(['endpoints', 'remove', 'api'])).code).toBe(0);
  });

  it('validates, lists models and shows quotas', async ({ skip }) => {
    if (!cli) return skip();
    const passed = await ccag(['endpoints', 'validate', 'bedrock-main']);
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stdout).toMatch(/^Endpoint bedrock-main: all checks passed\.$/m);
    expect(passed.stdout).toMatch(/^credentials +yes +\d+ +static access key AKIA…0001$/m);
    expect(passed.stdout).toMatch(/^reachability +yes +\d+ +Bedrock answered ListInferenceProfiles$/m);

    await json(['endpoints', 'add', 'anthropic', '--name', 'wrong-key', '--base-url', anthropic.url, '--api-key-stdin'], 'sk-ant-cli-wrong-key\n');
    const failed = await ccag(['endpoints', 'validate', 'wrong-key', '--json']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('error: endpoint wrong-key failed its checks: credentials, models\n');
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, checks: [{ name: 'credentials', ok: false, detail: 'the API refused the API key (HTTP 401: authentication_error: invalid x-api-key)' }, {}, {}] });

    const models = await json<Array<{ id: string }>>(['endpoints', 'models', 'bedrock-main']);
    expect(models.map((m) => m.id)).toContain('claude-sonnet-4-5-20250929');
    expect((await ccag(['endpoints', 'models', 'bedrock-main'])).stdout).toMatch(/^ID +NAME +RELEASED$/m);

    const quotas = await ccag(['endpoints', 'quotas', 'bedrock-main']);
    expect(quotas.stdout).toMatch(/^QUOTA +VALUE +UNIT +ADJUSTABLE +CODE$/m);
    expect(quotas.stdout).toMatch(/^On-demand model inference tokens per minute for Anthropic Claude Sonnet 4\.5 V1 +2,000,000 +- +yes +L-1111AAAA$/m);
    expect(quotas.stdout).not.toMatch(/Nova|Llama/);
    expect(await json(['endpoints', 'quotas', 'wrong-key'])).toMatchObject({ data: [], unavailable: expect.stringMatching(/^service quotas apply to Amazon Bedrock endpoints/) });
    expect((await ccag(['endpoints', 'quotas', 'wrong-key'])).stdout).toMatch(/^No quotas to show for wrong-key: service quotas apply to Amazon Bedrock endpoints/);
  });

  it('never printed a secret', ({ skip }) => {
    if (!cli) return skip();
    expect(outputs.length).toBeGreaterThan(20);
    for (const output of outputs) for (const secret of SECRETS) expect(output).not.toContain(secret);
  });
});
