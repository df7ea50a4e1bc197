import { afterEach, describe, expect, it } from 'vitest';
import { inbound, readAll, startHarness, userTurn, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
});

const invocations = () => h!.mock.requests.filter((r) => r.operation === 'invoke-stream' || r.operation === 'invoke');
const betasSent = () => invocations().map((r) => (r.body as { anthropic_beta?: string[] }).anthropic_beta ?? []);
const BETAS = 'claude-code-20250219,bad-beta-2099-01-01,interleaved-thinking-2025-05-14';

describe('Bedrock beta learning', () => {
  it('retries once without a beta Bedrock names, then withholds it from the start', async () => {
    h = await startHarness({ mock: { rejectedBetas: ['bad-beta-2099-01-01'] } });
    const first = await h.upstream.messages(inbound(userTurn('hi', { stream: true }), { headers: { 'anthropic-beta': BETAS } }));
    expect(first.status).toBe(200);
    await readAll(first);
    expect(betasSent()).toEqual([
      ['claude-code-20250219', 'bad-beta-2099-01-01', 'interleaved-thinking-2025-05-14'],
      ['claude-code-20250219', 'interleaved-thinking-2025-05-14'],
    ]);
    expect(h.warnings.find((w) => w.msg === 'Bedrock rejected betas; retrying without them')?.obj).toEqual({
      upstreamModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      betas: ['bad-beta-2099-01-01'],
    });

    // Same model under another name (dated, non-streaming): learned per model, not per name.
    const second = await h.upstream.messages(inbound(userTurn('again', { model: 'claude-sonnet-4-5-20250929' }), { headers: { 'anthropic-beta': BETAS } }));
    expect(second.status).toBe(200);
    await readAll(second);
    expect(betasSent()).toHaveLength(3);
    expect(betasSent()[2]).toEqual(['claude-code-20250219', 'interleaved-thinking-2025-05-14']);
  });

  it('keeps learning per model', async () => {
    h = await startHarness({ mock: { rejectedBetas: ['bad-beta-2099-01-01'] } });
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { stream: true }), { headers: { 'anthropic-beta': BETAS } })));
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { stream: true, model: 'claude-haiku-4-5' }), { headers: { 'anthropic-beta': BETAS } })));
    // Haiku has not been seen to reject the beta yet: it pays its own retry.
    expect(invocations().map((r) => r.modelId)).toEqual([
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    ]);
  });

  it('blames only unproven betas when Bedrock does not name one', async () => {
    h = await startHarness({ mock: { rejectedBetas: ['bad-beta-2099-01-01'], nameRejectedBeta: false } });
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { stream: true }), { headers: { 'anthropic-beta': 'claude-code-20250219' } })));
    const reply = await h.upstream.messages(inbound(userTurn('hi', { stream: true }), { headers: { 'anthropic-beta': 'claude-code-20250219,bad-beta-2099-01-01' } }));
    expect(reply.status).toBe(200);
    await readAll(reply);
    expect(betasSent()).toEqual([['claude-code-20250219'], ['claude-code-20250219', 'bad-beta-2099-01-01'], ['claude-code-20250219']]);
  });

  it('retries only once, then answers the validation error', async () => {
    h = await startHarness({ mock: { rejectedBetas: ['bad-a', 'bad-b'] } });
    const reply = await h.upstream.messages(inbound(userTurn('hi', { stream: true }), { headers: { 'anthropic-beta': 'bad-a,bad-b' } }));
    // Bedrock names one beta per error: the first retry drops bad-a and still fails on bad-b.
    expect(reply.status).toBe(400);
    expect(JSON.parse(await readAll(reply))).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'invalid beta flag: bad-b' } });
    expect(invocations()).toHaveLength(2);
  });

  it('does not retry validation errors that are not about betas', async () => {
    h = await startHarness();
    const reply = await h.upstream.messages(inbound(userTurn('[[bedrock-error ValidationException messages: text content blocks must be non-empty]]', { stream: true }), { headers: { 'anthropic-beta': BETAS } }));
    expect(reply.status).toBe(400);
    expect(invocations()).toHaveLength(1);
  });
});
