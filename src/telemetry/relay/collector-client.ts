/**
 * One POST of an enriched batch to a collector's OTLP/HTTP endpoint, with the operator's headers
 * (often an API key: never logged) and the batch's own content type. Any 2xx is success (a partial
 * success body is the collector's business); there is no retry, so a batch is sent at most once.
 */
import { request, type Dispatcher } from 'undici';
import type { ForwardFailureReason } from './outcomes.js';

export interface CollectorTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type SendResult = { readonly sent: true } | { readonly sent: false; readonly reason: ForwardFailureReason | 'shutdown'; readonly status?: number };

export interface CollectorClientOptions {
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
}

export function createCollectorClient(options: CollectorClientOptions) {
  return async function sendToCollector(target: CollectorTarget, contentType: string, bytes: Buffer, shutdown: AbortSignal): Promise<SendResult> {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      const response = await request(target.url, {
        method: 'POST',
        headers: { ...target.headers, 'content-type': contentType },
        body: bytes,
        dispatcher: options.dispatcher,
        signal: AbortSignal.any([shutdown, timeout]),
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) return { sent: true };
      return { sent: false, reason: 'rejected', status: response.statusCode };
    } catch {
      if (shutdown.aborted) return { sent: false, reason: 'shutdown' };
      return { sent: false, reason: timeout.aborted ? 'timeout' : 'unreachable' };
    }
  };
}

export type SendToCollector = ReturnType<typeof createCollectorClient>;
