/**
 * Streaming load for the fault-injection tests: Messages calls through a dedicated connection
 * pool (closed at the end, so the gateway's descriptors can return to their baseline), each
 * outcome kept with the gateway's request id so the ledger can be checked request by request.
 */
import { expect } from 'vitest';
import { Agent, request } from 'undici';
import type { SpendLedgerTable } from '../../src/store/schema.js';

export const LOAD_MODEL = 'claude-sonnet-4-5-20250929';

export interface StreamOutcome {
  /** The gateway's `x-ccag-request-id`, when a status line came. */
  readonly requestId: string | null;
  /** 0 when no status line came. */
  readonly status: number;
  /** 200 and the stream reached `message_stop` with no `error` event: what a client counts as done. */
  readonly complete: boolean;
  /** The SSE `error` event's type, the error body's type, or the transport error's code. */
  readonly errorType: string | null;
  readonly body: string;
}

export interface StreamLoad {
  /** One streamed call with `prompt` as its user message (directives of mock-script.ts). */
  stream(prompt: string, headers?: Record<string, string>): Promise<StreamOutcome>;
  close(): Promise<void>;
}

export function streamLoad(url: string, key: string): StreamLoad {
  const agent = new Agent({ connections: 64, bodyTimeout: 60_000, headersTimeout: 60_000 });
  return {
    async stream(prompt, headers = {}) {
      try {
        const response = await request(`${url}/v1/messages`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01', ...headers },
          body: JSON.stringify({ model: LOAD_MODEL, max_tokens: 200, stream: true, messages: [{ role: 'user', content: prompt }] }),
        });
        const requestId = (response.headers['x-ccag-request-id'] as string | undefined) ?? null;
        let body = '';
        try {
          body = await response.body.text();
        } catch (error) {
          return { requestId, status: response.statusCode, complete: false, errorType: (error as { code?: string }).code ?? 'body_error', body };
        }
        const errorType = /"error":\{"type":"([a-z_]+)"/.exec(body)?.[1] ?? null;
        const complete = response.statusCode === 200 && body.includes('event: message_stop') && !body.includes('event: error');
        return { requestId, status: response.statusCode, complete, errorType, body };
      } catch (error) {
        return { requestId: null, status: 0, complete: false, errorType: (error as { code?: string }).code ?? 'request_error', body: '' };
      }
    },
    close: () => agent.close(),
  };
}

/** Runs `count` calls, `concurrency` at a time, in order of index. */
export async function runConcurrently<T>(count: number, concurrency: number, call: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await call(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, worker));
  return results;
}

export interface LedgerCheck {
  readonly sent: number;
  readonly completed: number;
  readonly failed: number;
  readonly rows: number;
  /** Completed requests with exactly one ledger row. */
  readonly completedWithOneRow: number;
}

/**
 * Every request the client saw complete has exactly one ledger row, no request id has two, and
 * no row belongs to a request that was not sent.
 */
export function expectOneRowPerCompleted(rows: readonly SpendLedgerTable[], outcomes: readonly StreamOutcome[]): LedgerCheck {
  const rowsById = new Map<string, number>();
  for (const row of rows) rowsById.set(row.request_id, (rowsById.get(row.request_id) ?? 0) + 1);
  const duplicates = [...rowsById].filter(([, n]) => n > 1);
  expect(duplicates, 'request ids with more than one ledger row').toEqual([]);
  const sentIds = new Set(outcomes.map((o) => o.requestId).filter((id): id is string => id !== null));
  expect(rows.filter((row) => !sentIds.has(row.request_id)).map((row) => row.request_id), 'rows of no request sent').toEqual([]);
  const completed = outcomes.filter((o) => o.complete);
  const completedWithOneRow = completed.filter((o) => rowsById.get(o.requestId!) === 1).length;
  expect(completedWithOneRow, 'completed requests with exactly one ledger row').toBe(completed.length);
  return { sent: outcomes.length, completed: completed.length, failed: outcomes.length - completed.length, rows: rows.length, completedWithOneRow };
}

/** Counts of each (status, error type) pair, for the test's report line. */
export function tally(outcomes: readonly StreamOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const label = o.complete ? 'complete' : `${o.status}:${o.errorType ?? 'incomplete'}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
