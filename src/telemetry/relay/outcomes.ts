/** The fixed label values of the relay's counters (docs/metrics.md), so their series can start at 0. */

/** Why a batch the relay received was not sent to a collector. */
export const DROP_REASONS = [
  /** The signal is off (logs and traces are opt-in). */
  'disabled',
  /** The signal is on but has no collector URL. */
  'not_configured',
  /** The queue was at its batch or byte bound: the collector is slower than the clients. */
  'queue_full',
  /** Not gzip, protobuf or JSON the relay can read (the client got a 400). */
  'malformed',
  /** Larger than the queue's byte bound once decompressed (the client got a 413). */
  'too_large',
  /** Still queued or in flight when the gateway stopped. */
  'shutdown',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Why a send to a collector failed; the batch is not retried. */
export const FORWARD_FAILURE_REASONS = ['timeout', 'unreachable', 'rejected'] as const;
export type ForwardFailureReason = (typeof FORWARD_FAILURE_REASONS)[number];
