import { afterEach, describe, expect, it, vi } from 'vitest';
import { KnownModels, ModelList } from '../../../src/upstreams/anthropic/model-list.js';

afterEach(() => {
  vi.useRealTimers();
});

const LISTED = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-opus-4-6', 'claude-opus-4-1-20250805'];

describe('KnownModels', () => {
  const known = new KnownModels(LISTED);
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'],
    ['claude-opus-4-6', 'claude-opus-4-6'],
    ['claude-opus-4-6-20260205', 'claude-opus-4-6'],
    ['claude-opus-4-1', 'claude-opus-4-1-20250805'],
    // Never by prefix.
    ['claude-opus-4', undefined],
    ['claude-opus-4-20250514', undefined],
    ['claude-sonnet-4', undefined],
    ['claude-sonnet-4-6', undefined],
  ])('%s → %s', (model, expected) => {
    expect(known.match(model)).toBe(expected);
  });

  it('gives a date-stripped name to its newest snapshot', () => {
    expect(new KnownModels(['claude-x-20250101', 'claude-x-20260101', 'claude-x-20250601']).match('claude-x')).toBe('claude-x-20260101');
  });
});

describe('ModelList', () => {
  it('serves every Claude name until the listing answers, then what is listed', async () => {
    vi.useFakeTimers();
    let answer!: (ids: string[]) => void;
    const list = vi.fn(() => new Promise<string[]>((resolve) => (answer = resolve)));
    const models = new ModelList({ list, refreshMs: 60_000 });
    expect(list).not.toHaveBeenCalled();
    expect(models.serves('claude-sonnet-4-6')).toBe(true);
    expect(models.serves('us.anthropic.claude-sonnet-4-6')).toBe(true);
    expect(list).toHaveBeenCalledTimes(1);

    answer(LISTED);
    await vi.advanceTimersByTimeAsync(0);
    expect(models.serves('claude-sonnet-4-6')).toBe(false);
    expect(models.serves('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(true);
    expect(models.serves('global.anthropic.claude-opus-4-6-v1[1m]')).toBe(true);
    expect(models.serves('claude-sonnet-4-5[1m]')).toBe(true);
    expect(models.serves('claude-opus-4')).toBe(false);
    expect(models.serves('us.anthropic.claude-sonnet-4-6')).toBe(false);
    expect(models.serves('gpt-4o')).toBe(false);
    models.close();
  });

  it('never serves names whose model cannot be read, listing or not', () => {
    const models = new ModelList({ list: () => new Promise(() => undefined) });
    expect(models.serves('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3')).toBe(false);
    expect(models.serves('')).toBe(false);
    models.close();
  });

  it('refreshes in the background, keeps the last listing through a failure, and stops on close', async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    const answers: Array<string[] | Error> = [['claude-sonnet-4-5-20250929'], new Error('GET /v1/models answered 500'), ['claude-sonnet-4-6']];
    const list = vi.fn(async () => {
      const next = answers.shift() ?? [];
      if (next instanceof Error) throw next;
      return next;
    });
    const models = new ModelList({ list, log: { warn }, refreshMs: 60_000 });
    models.current();
    await vi.advanceTimersByTimeAsync(0);
    expect(models.serves('claude-sonnet-4-5')).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(models.serves('claude-sonnet-4-5')).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(models.serves('claude-sonnet-4-5')).toBe(false);
    expect(models.serves('claude-sonnet-4-6')).toBe(true);
    models.close();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(list).toHaveBeenCalledTimes(3);
  });
});
