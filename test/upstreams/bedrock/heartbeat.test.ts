import { afterEach, describe, expect, it, vi } from 'vitest';
import { withHeartbeat } from '../../../src/upstreams/bedrock/heartbeat.js';

afterEach(() => {
  vi.useRealTimers();
});

function controlled<T>() {
  const queue: Array<(r: IteratorResult<T>) => void> = [];
  const waiting: Array<IteratorResult<T>> = [];
  let returned = false;
  const iterable: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      next: () => (waiting.length ? Promise.resolve(waiting.shift()!) : new Promise<IteratorResult<T>>((resolve) => queue.push(resolve))),
      return: async () => {
        returned = true;
        return { done: true, value: undefined };
      },
    }),
  };
  const push = (r: IteratorResult<T>) => {
    const resolve = queue.shift();
    if (resolve) resolve(r);
    else waiting.push(r);
  };
  return { iterable, emit: (value: T) => push({ done: false, value }), end: () => push({ done: true, value: undefined }), returned: () => returned };
}

describe('withHeartbeat', () => {
  it('pings only while the source is silent, and resets on every event', async () => {
    vi.useFakeTimers();
    const src = controlled<string>();
    const it = withHeartbeat(src.iterable, 100, 'ping')[Symbol.asyncIterator]();

    let next = it.next();
    await vi.advanceTimersByTimeAsync(99);
    src.emit('a');
    expect(await next).toEqual({ done: false, value: 'a' });

    next = it.next();
    await vi.advanceTimersByTimeAsync(100);
    expect(await next).toEqual({ done: false, value: 'ping' });
    next = it.next();
    await vi.advanceTimersByTimeAsync(100);
    expect(await next).toEqual({ done: false, value: 'ping' });

    next = it.next();
    src.emit('b');
    expect(await next).toEqual({ done: false, value: 'b' });
    next = it.next();
    src.end();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer behind and releases the source when the consumer stops early', async () => {
    vi.useFakeTimers();
    const src = controlled<string>();
    const release = vi.fn();
    const it = withHeartbeat(src.iterable, 100, 'ping', release)[Symbol.asyncIterator]();
    const pending = it.next();
    await vi.advanceTimersByTimeAsync(100);
    expect(await pending).toEqual({ done: false, value: 'ping' });
    expect(await it.return!()).toEqual({ done: true, value: undefined });
    expect(release).toHaveBeenCalledTimes(1);
    expect(src.returned()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('never pings when the interval is 0 (disabled)', async () => {
    vi.useFakeTimers();
    const src = controlled<string>();
    const it = withHeartbeat(src.iterable, 0, 'ping')[Symbol.asyncIterator]();
    const next = it.next();
    await vi.advanceTimersByTimeAsync(10_000);
    src.emit('a');
    expect(await next).toEqual({ done: false, value: 'a' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes the source error through and stops', async () => {
    const failing: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('boom')) }),
    };
    const it = withHeartbeat(failing, 1000, 'ping')[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow('boom');
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});
