/** The endpoint event recorder: batches off the request path, retries a failed flush, bounds its memory. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { EndpointEvent } from '../../src/routing/endpoint-events.repo.js';
import { createEndpointEventRecorder } from '../../src/routing/endpoint-event-recorder.js';

const event = (at: number): EndpointEvent => ({ endpointId: 'e1', kind: 'throttle', reason: 'throttled', durationMs: null, at });

function fakeRepo() {
  const written: EndpointEvent[][] = [];
  let failing = false;
  return {
    written,
    fail(value: boolean) {
      failing = value;
    },
    insertMany: vi.fn(async (rows: readonly EndpointEvent[]) => {
      if (failing) throw new Error('database down');
      written.push([...rows]);
    }),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('endpoint event recorder', () => {
  test('record() only buffers; the timer writes one batch per interval', async () => {
    vi.useFakeTimers();
    const repo = fakeRepo();
    const recorder = createEndpointEventRecorder({ repo, flushIntervalMs: 1000 });
    recorder.start();
    recorder.record(event(1));
    recorder.record(event(2));
    expect(repo.insertMany).not.toHaveBeenCalled();
    expect(recorder.stats.buffered).toBe(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(repo.written).toEqual([[event(1), event(2)]]);
    expect(recorder.stats).toMatchObject({ buffered: 0, written: 2, dropped: 0 });
    await recorder.close();
  });

  test('a failed flush keeps its rows, in order, for the next try', async () => {
    const repo = fakeRepo();
    const onFlushError = vi.fn();
    const recorder = createEndpointEventRecorder({ repo, onFlushError });
    repo.fail(true);
    recorder.record(event(1));
    await recorder.flush();
    recorder.record(event(2));
    expect(recorder.stats).toMatchObject({ buffered: 2, flushErrors: 1 });
    expect(onFlushError).toHaveBeenCalledOnce();
    repo.fail(false);
    await recorder.flush();
    expect(repo.written).toEqual([[event(1), event(2)]]);
  });

  test('past the bound the oldest rows are dropped and counted, also across failed flushes', async () => {
    const repo = fakeRepo();
    const recorder = createEndpointEventRecorder({ repo, maxBuffered: 3 });
    for (let at = 1; at <= 5; at++) recorder.record(event(at));
    expect(recorder.stats).toMatchObject({ buffered: 3, dropped: 2 });
    repo.fail(true);
    const flushing = recorder.flush();
    recorder.record(event(6));
    await flushing;
    expect(recorder.stats).toMatchObject({ buffered: 3, dropped: 3 });
    repo.fail(false);
    await recorder.close();
    expect(repo.written).toEqual([[event(4), event(5), event(6)]]);
  });

  test('close() stops the timer and writes what is left', async () => {
    vi.useFakeTimers();
    const repo = fakeRepo();
    const recorder = createEndpointEventRecorder({ repo, flushIntervalMs: 1000 });
    recorder.start();
    recorder.record(event(1));
    await recorder.close();
    expect(repo.written).toEqual([[event(1)]]);
    recorder.record(event(2));
    await vi.advanceTimersByTimeAsync(5000);
    expect(repo.written).toHaveLength(1);
  });

  test('flushes do not overlap: a slow write is not sent twice', async () => {
    let release!: () => void;
    const calls: number[] = [];
    const recorder = createEndpointEventRecorder({
      repo: {
        insertMany: async (rows) => {
          calls.push(rows.length);
          await new Promise<void>((resolve) => (release = resolve));
        },
      },
    });
    recorder.record(event(1));
    const first = recorder.flush();
    const second = recorder.flush();
    release();
    await Promise.all([first, second]);
    expect(calls).toEqual([1]);
  });
});
