/**
 * What the gateway itself recorded as spent on Anthropic API endpoints in a window: the figure
 * the Admin API collector (src/telemetry/admin-api-collector/) sets beside the provider's own
 * cost report. Bedrock traffic is billed by AWS, so only rows served by an `anthropic` endpoint
 * count.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface AnthropicSpend {
  /** Micro-dollars from `start` (inclusive) to `end` (exclusive). */
  microsBetween(start: number, end: number): Promise<bigint>;
}

export function createAnthropicSpend(db: Kysely<Database>): AnthropicSpend {
  return {
    async microsBetween(start, end) {
      const row = await db
        .selectFrom('spend_ledger')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('cost_micros'), eb.lit(0)).as('total'))
        .where('endpoint_id', 'in', (eb) => eb.selectFrom('endpoints').select('id').where('kind', '=', 'anthropic'))
        .where('created_at', '>=', start)
        .where('created_at', '<', end)
        .executeTakeFirstOrThrow();
      // SUM of BIGINT is NUMERIC on PostgreSQL, which pg hands over as a string.
      return BigInt(row.total);
    },
  };
}
