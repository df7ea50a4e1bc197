import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProfileDiscovery } from '../../../src/upstreams/bedrock/discovery.js';
import { resolveModel } from '../../../src/upstreams/bedrock/model-map.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ProfileDiscovery', () => {
  it('discovers on first use only, then refreshes in the background', async () => {
    vi.useFakeTimers();
    const answers = [['us.anthropic.claude-sonnet-4-5-20250929-v1:0'], ['global.anthropic.claude-sonnet-4-5-20250929-v1:0']];
    const list = vi.fn(async () => answers.shift() ?? []);
    const discovery = new ProfileDiscovery({ list, log: { warn: vi.fn() }, refreshMs: 60_000 });
    expect(list).not.toHaveBeenCalled();

    const first = await discovery.catalog();
    expect(list).toHaveBeenCalledTimes(1);
    expect(resolveModel('claude-sonnet-4-5', first, ['eu'])?.modelId).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');

    await discovery.catalog();
    expect(list).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(list).toHaveBeenCalledTimes(2);
    expect(resolveModel('claude-sonnet-4-5', await discovery.catalog(), ['eu'])?.modelId).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');

    discovery.close();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('logs failures and keeps the last good answer', async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    let fail = false;
    const list = vi.fn(async () => {
      if (fail) throw Object.assign(new Error('User is not authorized to perform: bedrock:ListInferenceProfiles'), { name: 'AccessDeniedException' });
      return ['eu.anthropic.claude-haiku-4-5-20251001-v1:0'];
    });
    const discovery = new ProfileDiscovery({ list, log: { warn }, refreshMs: 1_000 });
    expect([...((await discovery.catalog()).profiles ?? [])]).toEqual(['eu.anthropic.claude-haiku-4-5-20251001-v1:0']);
    fail = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toBe('Bedrock inference profile discovery failed; using the built-in model table');
    expect([...((await discovery.catalog()).profiles ?? [])]).toEqual(['eu.anthropic.claude-haiku-4-5-20251001-v1:0']);
    discovery.close();
  });

  it('does not hold the first request longer than firstWaitMs', async () => {
    vi.useFakeTimers();
    const discovery = new ProfileDiscovery({ list: () => new Promise(() => undefined), log: { warn: vi.fn() }, firstWaitMs: 2_000 });
    const catalog = discovery.catalog();
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await catalog).profiles).toBeUndefined();
    discovery.close();
  });

  it('answers current() at once from what it has, starting discovery on first use', async () => {
    vi.useFakeTimers();
    let answer!: (profiles: string[]) => void;
    const list = vi.fn(() => new Promise<string[]>((resolve) => (answer = resolve)));
    const discovery = new ProfileDiscovery({ list, log: { warn: vi.fn() }, refreshMs: 60_000 });
    expect(discovery.current().profiles).toBeUndefined();
    expect(list).toHaveBeenCalledTimes(1);
    expect(discovery.current().servedBases.has('anthropic.claude-3-7-sonnet-20250219-v1:0')).toBe(true);
    expect(list).toHaveBeenCalledTimes(1);

    answer(['us.anthropic.claude-sonnet-4-5-20250929-v1:0']);
    await vi.advanceTimersByTimeAsync(0);
    expect([...discovery.current().servedBases]).toEqual(['anthropic.claude-sonnet-4-5-20250929-v1:0']);
    // The first request after a synchronous start does not start a second listing.
    await discovery.catalog();
    expect(list).toHaveBeenCalledTimes(1);
    discovery.close();
  });

  it('does not start after close()', () => {
    const list = vi.fn(async () => []);
    const discovery = new ProfileDiscovery({ list, log: { warn: vi.fn() } });
    discovery.close();
    expect(discovery.current().profiles).toBeUndefined();
    expect(list).not.toHaveBeenCalled();
  });
});
