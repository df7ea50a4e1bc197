/**
 * An HTTP call through undici's dispatcher whose response body is a plain async iterable fed by
 * the dispatch handler. `undici.request` wraps every body in a Node Readable and the caller then
 * iterates that stream: on the gateway's hot path that machinery cost more than the proxying
 * itself. Backpressure is kept: the connection pauses while chunks wait unread.
 */
import type { Dispatcher } from 'undici';

export interface StreamedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
}

/** Chunks buffered before the upstream connection is paused. */
const HIGH_WATER = 16;

type Controller = Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>[0];

export function dispatchStream(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: AbortSignal): Promise<StreamedResponse> {
  return new Promise((resolveHead, rejectHead) => {
    const chunks: Uint8Array[] = [];
    let controller: Controller | undefined;
    let headSent = false;
    let ended = false;
    let failure: unknown;
    let wake: (() => void) | undefined;

    const notify = () => {
      const waiting = wake;
      wake = undefined;
      waiting?.();
    };
    const onAbort = () => controller?.abort(signal.reason);
    const settle = () => {
      signal.removeEventListener('abort', onAbort);
      notify();
    };

    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        async next(): Promise<IteratorResult<Uint8Array>> {
          for (;;) {
            const chunk = chunks.shift();
            if (chunk) {
              if (chunks.length < HIGH_WATER / 2 && controller?.paused) controller.resume();
              return { done: false, value: chunk };
            }
            if (failure !== undefined) throw failure;
            if (ended) return { done: true, value: undefined };
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          // The reader stopped early (client gone): release the upstream connection.
          if (!ended && failure === undefined) controller?.abort(new Error('response body abandoned'));
          return { done: true, value: undefined };
        },
      }),
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (signal.aborted) started.abort(signal.reason);
      },
      onResponseStart(_started, statusCode, headers) {
        headSent = true;
        resolveHead({ status: statusCode, headers: headers as StreamedResponse['headers'], body });
      },
      onResponseData(started, chunk) {
        chunks.push(chunk);
        if (chunks.length >= HIGH_WATER) started.pause();
        notify();
      },
      onResponseEnd() {
        ended = true;
        settle();
      },
      onResponseError(_started, error) {
        failure = error;
        settle();
        if (!headSent) rejectHead(error);
      },
    };

    signal.addEventListener('abort', onAbort, { once: true });
    dispatcher.dispatch(options, handler);
  });
}
