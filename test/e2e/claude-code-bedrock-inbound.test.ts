/**
 * The real Claude Code CLIs in Bedrock mode (`CLAUDE_CODE_USE_BEDROCK=1`) with the gateway as
 * their Bedrock endpoint, routed to a mock Bedrock and to a mock Anthropic API: the pinned npm
 * build and, where installed, the native 2.1.33x build. The virtual key is the Bedrock API key.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NATIVE_CLAUDE_BIN, runClaudeCode } from '../support/claude-code.js';
import { startInboundGateway, type InboundGateway } from '../support/bedrock-inbound.js';
import type { TestGateway } from '../support/gateway.js';

const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
// Both builds, always: the native one is an optional dependency for linux-x64, where the suite runs,
// and a missing binary must fail the run rather than drop the case.
const clis = [
  { label: 'npm 2.1.19x', bin: undefined },
  { label: 'native 2.1.33x', bin: NATIVE_CLAUDE_BIN },
];

describe.each(['bedrock', 'anthropic'] as const)('Claude Code in Bedrock mode → CCAG → %s upstream', (upstream) => {
  let gw: TestGateway | undefined;
  let key = '';
  let setup: InboundGateway | undefined;

  beforeAll(async () => {
    setup = await startInboundGateway(upstream);
    gw = setup.gw;
    key = (await gw.createKey('claude-bedrock-mode@example.com')).key;
  });

  afterAll(() => setup?.close());

  const ledger = () => gw!.store.db.selectFrom('spend_ledger').selectAll().execute();

  test.each(clis)('$label with AWS_BEARER_TOKEN_BEDROCK answers a prompt, billed under its model', async ({ bin }) => {
    const before = (await ledger()).length;
    const result = await runClaudeCode('say hi', { CLAUDE_CODE_USE_BEDROCK: '1', ANTHROPIC_BEDROCK_BASE_URL: gw!.url, AWS_REGION: 'us-east-1', AWS_BEARER_TOKEN_BEDROCK: key, ANTHROPIC_MODEL: MODEL }, [], { bin });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.json?.result).toBe('Hello from the mock.');
    const rows = (await ledger()).slice(before);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.status === 200)).toBe(true);
    expect(rows.some((row) => row.model === MODEL && Boolean(row.streaming))).toBe(true);
  }, 120_000);

  test.each(clis)('$label with CLAUDE_CODE_SKIP_BEDROCK_AUTH and the key as a custom header', async ({ bin }) => {
    const env = { CLAUDE_CODE_USE_BEDROCK: '1', ANTHROPIC_BEDROCK_BASE_URL: gw!.url, AWS_REGION: 'us-east-1', CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1', ANTHROPIC_CUSTOM_HEADERS: `x-api-key: ${key}`, ANTHROPIC_MODEL: MODEL };
    const result = await runClaudeCode('say hi', env, [], { bin });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.json?.result).toBe('Hello from the mock.');
  }, 120_000);

  test('an unknown key is refused in Bedrock’s shape and shown', async () => {
    const result = await runClaudeCode('say hi', { CLAUDE_CODE_USE_BEDROCK: '1', ANTHROPIC_BEDROCK_BASE_URL: gw!.url, AWS_REGION: 'us-east-1', AWS_BEARER_TOKEN_BEDROCK: 'sk-ccag-revoked', ANTHROPIC_MODEL: MODEL });
    expect(result.code).not.toBe(0);
    expect(String(result.json?.result ?? result.stdout)).toMatch(/401|invalid|key/i);
  }, 120_000);
});
