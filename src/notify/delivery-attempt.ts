/**
 * One delivery attempt, the same for an outbox event and for a test of the draft: bounded by a
 * timeout, timed, any throw turned into a failure, and written to the history.
 */
import type { DeliveriesRepo } from './deliveries.repo.js';
import type { DestinationType } from './destination-config.js';
import type { OutgoingEvent, Sender } from './senders/sender.js';

/** A receiver that takes longer is treated as down; the event is retried later. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface AttemptResult {
  readonly ok: boolean;
  readonly duration_ms: number;
  readonly http_status: number | null;
  readonly error: string | null;
}

export interface AttemptContext {
  readonly sender: Sender;
  readonly destinationType: DestinationType;
  readonly history: Pick<DeliveriesRepo, 'record'>;
  readonly clock: () => number;
  /** The outbox event's id, null for a test. */
  readonly eventId: string | null;
  /** 1 for the first attempt of an event. */
  readonly attempt: number;
  readonly timeoutMs?: number;
}

function failureText(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  // fetch hides the network error (ECONNREFUSED, ENOTFOUND...) in its cause.
  const detail = cause?.code ?? cause?.message;
  return detail ? `${(error as Error).message}: ${detail}` : String((error as Error).message ?? error);
}

export async function attemptDelivery(event: OutgoingEvent, context: AttemptContext): Promise<AttemptResult> {
  const timeoutMs = context.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const attemptedAt = context.clock();
  const started = performance.now();
  let result: AttemptResult;
  try {
    const outcome = await context.sender.send(event, AbortSignal.timeout(timeoutMs));
    const duration = Math.round(performance.now() - started);
    result = { ok: outcome.ok, duration_ms: duration, http_status: outcome.httpStatus, error: outcome.ok ? null : outcome.error };
  } catch (error) {
    result = { ok: false, duration_ms: Math.round(performance.now() - started), http_status: null, error: failureText(error, timeoutMs) };
  }
  await context.history.record({
    event_id: context.eventId,
    event_type: event.eventType,
    destination_type: context.destinationType,
    test: context.eventId === null ? 1 : 0,
    attempt: context.attempt,
    attempted_at: attemptedAt,
    status: result.ok ? 'delivered' : 'failed',
    duration_ms: result.duration_ms,
    http_status: result.http_status,
    error: result.error,
  });
  return result;
}
