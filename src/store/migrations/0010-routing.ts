import type { Kysely } from 'kysely';

/**
 * Routing (spec §5): which endpoints each team uses, in which order and with which strategy, and
 * the health events of the endpoint pool (throttles, cooldowns, failovers) that the endpoint
 * statistics count. The default routing, for users without a team, is the row with team_id ''.
 * A team's routing row moves `updated_at` on every change so polling replicas see it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_routing')
    .addColumn('team_id', 'text', (c) => c.primaryKey())
    // sticky_user | round_robin | priority | least_utilized
    .addColumn('strategy', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('team_routing_endpoints')
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_routing_endpoints_pkey', ['team_id', 'endpoint_id'])
    .execute();
  await db.schema.createIndex('team_routing_endpoints_endpoint').on('team_routing_endpoints').column('endpoint_id').execute();

  await db.schema
    .createTable('endpoint_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    // throttle | cooldown | failover | unhealthy | recovered
    .addColumn('kind', 'text', (c) => c.notNull())
    // Why: throttled, overloaded, unreachable, server_error, health_check, ...
    .addColumn('reason', 'text')
    // How long a cooldown lasts, in milliseconds (cooldown events only).
    .addColumn('duration_ms', 'integer')
    .execute();
  await db.schema.createIndex('endpoint_events_at').on('endpoint_events').columns(['at', 'endpoint_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('endpoint_events').execute();
  await db.schema.dropTable('team_routing_endpoints').execute();
  await db.schema.dropTable('team_routing').execute();
}
