/**
 * The client side of a proxied call: an abort signal that fires when the client disconnects
 * (or shutdown gives up on it), registered with the in-flight set for draining.
 */
import type { ServerResponse } from 'node:http';
import type { InFlight } from './in-flight.js';

export interface ClientConnection {
  readonly signal: AbortSignal;
  /** True once the client closed the connection before the response ended. */
  gone(): boolean;
  release(): void;
}

export function trackClient(res: ServerResponse, inFlight: InFlight): ClientConnection {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  inFlight.add(controller);
  return {
    signal: controller.signal,
    gone: () => controller.signal.aborted || (res.destroyed && !res.writableFinished),
    release() {
      res.off('close', onClose);
      inFlight.delete(controller);
    },
  };
}
