/**
 * The endpoint pool's health events (throttles, cooldowns, failovers, health changes), as the
 * statistics count them. Rows arrive in batches from the event recorder, never one per request.
 * Counting reads the (at, endpoint_id) index, so a range costs what it holds, not the table.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, EndpointEventsTable } from '../store/schema.js';
import type { EndpointEvent } from './health/endpoint-health.js';

export type EndpointEventKind = EndpointEventsTable['kind'];

/** What endpoint health emits (throttle, cooldown, failover, unhealthy, recovered), as stored. */
export type { EndpointEvent };

/** Endpoint id → kind → events in the range. Endpoints without events are absent. */
export type EndpointEventCounts = Map<string, Partial<Record<EndpointEventKind, number>>>;

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits (6 columns each). */
const INSERT_CHUNK = 500;

export function createEndpointEventsRepo(db: Kysely<Database>) {
  return {
    async insertMany(events: readonly EndpointEvent[]): Promise<void> {
      for (let start = 0; start < events.length; start += INSERT_CHUNK) {
        const rows = events.slice(start, start + INSERT_CHUNK).map((event) => ({
          id: randomUUID(),
          endpoint_id: event.endpointId,
          at: event.at,
          kind: event.kind,
          reason: event.reason,
          duration_ms: event.durationMs,
        }));
        await db.insertInto('endpoint_events').values(rows).execute();
      }
    },

    /** Events per endpoint and kind with `from <= at < to`. */
    async countsBetween(from: number, to: number): Promise<EndpointEventCounts> {
      const rows = await db
        .selectFrom('endpoint_events')
        .where('at', '>=', from)
        .where('at', '<', to)
        .select(['endpoint_id', 'kind', (eb) => eb.fn.countAll<number | string>().as('n')])
        .groupBy(['endpoint_id', 'kind'])
        .execute();
      const counts: EndpointEventCounts = new Map();
      for (const row of rows) {
        const kinds = counts.get(row.endpoint_id) ?? {};
        // PostgreSQL's count is a bigint, which its driver hands over as a string.
        kinds[row.kind] = Number(row.n);
        counts.set(row.endpoint_id, kinds);
      }
      return counts;
    },
  };
}

export type EndpointEventsRepo = ReturnType<typeof createEndpointEventsRepo>;
