/**
 * The relay's queue: bounded by batches and by bytes (counting the ones being sent), at most
 * `concurrency` sends at once, drained at close within the deadline, then abandoned and aborted.
 * Sends are promises the test settles by hand, so nothing depends on timing except `close`'s deadline.
 */
import { describe, expect, test } from 'vitest';
import { ForwardQueue } from '../../../src/telemetry/relay/forward-queue.js';

interface Batch {
  readonly name: string;
  readonly bytes: Buffer;
}

/** A queue whose sends wait until the test finishes them. */
function queueUnderTest(options: { maxBatches?: number; maxBytes?: number; concurrency?: number } = {}) {
  const pending = new Map<string, { finish: () => void; signal: AbortSignal }>();
  const sent: string[] = [];
  const aborted: string[] = [];
  const abandoned: string[] = [];
  const queue = new ForwardQueue<Batch>({
    maxBatches: options.maxBatches ?? 10,
    maxBytes: options.maxBytes ?? 1_000,
    concurrency: options.concurrency ?? 1,
    send: (batch, shutdown) =>
      new Promise<void>((resolve) => {
        const finish = () => {
          pending.delete(batch.name);
          sent.push(batch.name);
          resolve();
        };
        shutdown.addEventListener('abort', () => {
          pending.delete(batch.name);
          aborted.push(batch.name);
          resolve();
        });
        pending.set(batch.name, { finish, signal: shutdown });
      }),
    onAbandoned: (batch) => abandoned.push(batch.name),
  });
  const batch = (name: string, size = 10): Batch => ({ name, bytes: Buffer.alloc(size) });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { queue, batch, pending, sent, aborted, abandoned, settle };
}

describe('forward queue', () => {
  test('at most `concurrency` sends run; the next starts when one ends', async () => {
    const { queue, batch, pending, sent, settle } = queueUnderTest({ concurrency: 2 });
    for (const name of ['a', 'b', 'c']) expect(queue.offer(batch(name))).toBe(true);
    expect([...pending.keys()]).toEqual(['a', 'b']);
    pending.get('a')!.finish();
    await settle();
    expect([...pending.keys()]).toEqual(['b', 'c']);
    expect(sent).toEqual(['a']);
    expect(queue.depth).toBe(2);
  });

  test('full by batch count: batches being sent count, so a hung collector holds its slots', () => {
    const { queue, batch } = queueUnderTest({ maxBatches: 3, concurrency: 1 });
    expect(['a', 'b', 'c', 'd', 'e'].map((name) => queue.offer(batch(name)))).toEqual([true, true, true, false, false]);
    expect(queue.depth).toBe(3);
    expect(queue.hasRoom()).toBe(false);
  });

  test('full by bytes: a batch that would pass the byte bound is refused, a smaller one still fits', async () => {
    const { queue, batch, pending, settle } = queueUnderTest({ maxBytes: 100 });
    expect(queue.offer(batch('a', 60))).toBe(true);
    expect(queue.hasRoom(41)).toBe(false);
    expect(queue.offer(batch('b', 41))).toBe(false);
    expect(queue.offer(batch('c', 40))).toBe(true);
    pending.get('a')!.finish();
    await settle();
    expect(queue.offer(batch('d', 60))).toBe(true);
  });

  test('close sends what it holds when the collector answers within the deadline', async () => {
    const { queue, batch, pending, sent, abandoned } = queueUnderTest({ concurrency: 1 });
    queue.offer(batch('a'));
    queue.offer(batch('b'));
    const closed = queue.close(10_000);
    expect(queue.offer(batch('late'))).toBe(false);
    pending.get('a')!.finish();
    await new Promise((resolve) => setImmediate(resolve));
    pending.get('b')!.finish();
    await closed;
    expect(sent).toEqual(['a', 'b']);
    expect(abandoned).toEqual([]);
  });

  test('close past the deadline abandons the waiting batches and aborts the sends in flight', async () => {
    const { queue, batch, aborted, abandoned } = queueUnderTest({ concurrency: 1 });
    for (const name of ['a', 'b', 'c']) queue.offer(batch(name));
    await queue.close(20);
    expect(aborted).toEqual(['a']);
    expect(abandoned).toEqual(['b', 'c']);
    expect(queue.depth).toBe(0);
  });
});
