/**
 * Bedrock sends nothing while Claude thinks, and clients and proxies drop an SSE connection that
 * is silent too long; the Anthropic API pings instead. This wrapper yields `heartbeat` whenever the
 * source has been silent for `intervalMs`, without buffering or reordering the source. `release`
 * runs when the consumer stops early, to free the upstream connection at once.
 *
 * A hand-written iterator rather than an async generator: a generator cannot be returned while it
 * is suspended in `await`, so a client that stops reading would keep a timer alive until the next
 * upstream event.
 */
export function withHeartbeat<T>(source: AsyncIterable<T>, intervalMs: number, heartbeat: T, release?: () => void): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      // setTimeout treats 0, negative and overflowing delays as 1 ms: that would be a ping storm.
      const pinging = Number.isFinite(intervalMs) && intervalMs > 0 && intervalMs <= 2 ** 31 - 1;
      const upstream = source[Symbol.asyncIterator]();
      let pending: Promise<IteratorResult<T>> | undefined;
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      const done = (): IteratorResult<T> => ({ done: true, value: undefined });
      const stop = () => {
        finished = true;
        clearTimeout(timer);
        timer = undefined;
      };

      return {
        async next() {
          if (finished) return done();
          pending ??= upstream.next();
          const tick = new Promise<'tick'>((resolve) => {
            if (pinging) timer = setTimeout(resolve, intervalMs, 'tick');
          });
          let result: IteratorResult<T> | 'tick';
          try {
            result = await Promise.race([pending, tick]);
          } catch (err) {
            stop();
            throw err;
          } finally {
            clearTimeout(timer);
          }
          if (finished) return done();
          if (result === 'tick') return { done: false, value: heartbeat };
          pending = undefined;
          if (result.done) stop();
          return result;
        },
        async return() {
          const wasFinished = finished;
          stop();
          // The pending read settles when the source is released; its outcome no longer matters.
          pending?.catch(() => undefined);
          if (!wasFinished) {
            // Releasing first makes a read that is parked on the network fail now, not at the next event.
            release?.();
            upstream.return?.().catch(() => undefined);
          }
          return done();
        },
      };
    },
  };
}
