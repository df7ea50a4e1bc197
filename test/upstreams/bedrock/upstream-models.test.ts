import { afterEach, describe, expect, it } from 'vitest';
import { inbound, readAll, startHarness, userTurn, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
});

describe('Bedrock listModels and checkHealth', () => {
  it('lists the models the account has profiles for, paging through ListInferenceProfiles', async () => {
    h = await startHarness({ mock: { pageSize: 2 } });
    const models = await h.upstream.listModels(new AbortController().signal);
    expect(models.map((m) => m.id)).toEqual([
      'claude-sonnet-4-6',
      'claude-opus-4-6',
      'claude-haiku-4-5-20251001',
      'claude-sonnet-4-5-20250929',
      'claude-opus-4-1-20250805',
      'claude-sonnet-4-20250514',
    ]);
    expect(models[3]).toEqual({ id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', type: 'model', created_at: '2025-09-29T00:00:00Z' });
    const lists = h.mock.requests.filter((r) => r.operation === 'list-inference-profiles');
    expect(lists.map((r) => r.query)).toEqual([
      { maxResults: '100', type: 'SYSTEM_DEFINED' },
      ...[2, 4, 6, 8, 10].map((n) => ({ maxResults: '100', nextToken: String(n), type: 'SYSTEM_DEFINED' })),
    ]);
  });

  it('lists the whole model table when discovery fails, and logs why', async () => {
    h = await startHarness({ mock: { listProfilesError: { name: 'AccessDeniedException', message: 'not authorized to perform bedrock:ListInferenceProfiles' } } });
    const ids = (await h.upstream.listModels(new AbortController().signal)).map((m) => m.id);
    expect(ids).toContain('claude-3-5-haiku-20241022');
    expect(ids).toContain('claude-opus-5-5');
    expect(h.warnings.map((w) => w.msg)).toEqual(['Bedrock inference profile discovery failed; using the built-in model table']);
    // Without discovery the region's geo is used as-is.
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { model: 'claude-sonnet-4-5' }))));
    expect(h.mock.requests.at(-1)?.modelId).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('routes to the global profile when the region geo has none', async () => {
    h = await startHarness({ config: { region: 'eu-central-1' } });
    await readAll(await h.upstream.messages(inbound(userTurn('hi', { model: 'claude-opus-4-6' }))));
    expect(h.mock.requests.at(-1)?.modelId).toBe('global.anthropic.claude-opus-4-6-v1');
  });

  it('checks health with one cheap ListInferenceProfiles call', async () => {
    h = await startHarness();
    await expect(h.upstream.checkHealth(new AbortController().signal)).resolves.toBeUndefined();
    expect(h.mock.requests.map((r) => [r.operation, r.query.maxResults])).toEqual([['list-inference-profiles', '1']]);
  });

  it('rejects the health check with the reason', async () => {
    h = await startHarness({ mock: { listProfilesError: { name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } } });
    await expect(h.upstream.checkHealth(new AbortController().signal)).rejects.toMatchObject({ name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
  });
});
