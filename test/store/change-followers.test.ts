/**
 * What an announced change does on a replica: every follower refreshes; a burst of announcements
 * runs one refresh and queues exactly one more, started no sooner than the gap after the first; a failing refresh is reported and does not stop
 * the others; after shutdown began, announcements refresh nothing.
 */
import { describe, expect, test } from 'vitest';
import { ChangeFollowers, REFRESH_GAP_MS } from '../../src/store/change-followers.js';
import { until } from '../support/until.js';

/** A refresh the test finishes by hand, counting its runs. */
function heldRefresh() {
  const state = { runs: 0, release: () => {} };
  const refresh = () => {
    state.runs += 1;
    return new Promise<void>((resolve) => (state.release = resolve));
  };
  return { state, refresh };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ChangeFollowers', () => {
  test('a burst of announcements while a refresh runs queues one more refresh, not one per announcement', async () => {
    const followers = new ChangeFollowers(() => {});
    const { state, refresh } = heldRefresh();
    followers.follow('key cache', refresh);
    const startedAt = performance.now();
    followers.refreshAll();
    expect(state.runs).toBe(1);
    for (let i = 0; i < 100; i++) followers.refreshAll();
    expect(state.runs).toBe(1);
    state.release();
    await turn();
    expect(state.runs).toBe(1);
    // The one queued run, after the gap: it reads what changed during the first.
    await until(() => state.runs === 2, 2_000, 'the queued refresh');
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(REFRESH_GAP_MS - 5);
    state.release();
    await turn();
    expect(state.runs).toBe(2);
    // Idle again: the next announcement runs at once.
    followers.refreshAll();
    expect(state.runs).toBe(3);
  });

  test('each follower refreshes on its own: a slow or failing one does not hold the others', async () => {
    const failures: string[] = [];
    const followers = new ChangeFollowers((what) => failures.push(what));
    const slow = heldRefresh();
    let fast = 0;
    followers.follow('slow', slow.refresh);
    followers.follow('broken', () => Promise.reject(new Error('database down')));
    followers.follow('fast', async () => void (fast += 1));
    followers.refreshAll();
    await turn();
    followers.refreshAll();
    await turn();
    expect(fast).toBe(2);
    expect(failures).toEqual(['broken', 'broken']);
    expect(slow.state.runs).toBe(1);
  });

  test('after stop() (shutdown) an announcement refreshes nothing', () => {
    const followers = new ChangeFollowers(() => {});
    let runs = 0;
    followers.follow('key cache', async () => void (runs += 1));
    followers.stop();
    followers.refreshAll();
    expect(runs).toBe(0);
  });
});
