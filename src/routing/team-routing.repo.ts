/**
 * Team routing as stored (migration 0010): one `team_routing` row per team with its own routing
 * (team_id '' is the default routing) and its endpoints in order in `team_routing_endpoints`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { RoutingStrategy } from './strategies/index.js';

export interface TeamRoutingRecord {
  /** '' for the default routing. */
  readonly teamId: string;
  readonly strategy: RoutingStrategy;
  /** In order; empty only for the default routing, meaning every enabled endpoint. */
  readonly endpointIds: readonly string[];
  readonly updatedAt: number;
}

export const DEFAULT_ROUTE_KEY = '';

export function createTeamRoutingRepo(db: Kysely<Database>) {
  async function withEndpoints(rows: { team_id: string; strategy: RoutingStrategy; updated_at: number }[], teamId?: string): Promise<TeamRoutingRecord[]> {
    let query = db.selectFrom('team_routing_endpoints').select(['team_id', 'endpoint_id']).orderBy('team_id').orderBy('position');
    if (teamId !== undefined) query = query.where('team_id', '=', teamId);
    const byTeam = new Map<string, string[]>();
    for (const row of await query.execute()) {
      const list = byTeam.get(row.team_id) ?? [];
      list.push(row.endpoint_id);
      byTeam.set(row.team_id, list);
    }
    return rows.map((row) => ({ teamId: row.team_id, strategy: row.strategy, endpointIds: byTeam.get(row.team_id) ?? [], updatedAt: Number(row.updated_at) }));
  }

  return {
    async list(): Promise<TeamRoutingRecord[]> {
      return withEndpoints(await db.selectFrom('team_routing').selectAll().orderBy('team_id').execute());
    },

    async find(teamId: string): Promise<TeamRoutingRecord | undefined> {
      const row = await db.selectFrom('team_routing').selectAll().where('team_id', '=', teamId).executeTakeFirst();
      return row ? (await withEndpoints([row], teamId))[0] : undefined;
    },

    /** Replaces a team's routing atomically; returns what was stored. */
    async set(teamId: string, strategy: RoutingStrategy, endpointIds: readonly string[], now: number): Promise<TeamRoutingRecord> {
      return db.transaction().execute(async (trx) => {
        const previous = await trx.selectFrom('team_routing').select('updated_at').where('team_id', '=', teamId).executeTakeFirst();
        // Always moves, even twice in one millisecond, so polling replicas never miss a change.
        const updatedAt = Math.max(now, previous ? Number(previous.updated_at) + 1 : 0);
        await trx
          .insertInto('team_routing')
          .values({ team_id: teamId, strategy, updated_at: updatedAt })
          .onConflict((conflict) => conflict.column('team_id').doUpdateSet({ strategy, updated_at: updatedAt }))
          .execute();
        await trx.deleteFrom('team_routing_endpoints').where('team_id', '=', teamId).execute();
        if (endpointIds.length > 0) {
          await trx
            .insertInto('team_routing_endpoints')
            .values(endpointIds.map((endpoint_id, position) => ({ team_id: teamId, endpoint_id, position })))
            .execute();
        }
        return { teamId, strategy, endpointIds: [...endpointIds], updatedAt };
      });
    },

    /** Drops a team's routing (it follows the default again); false when it had none. */
    async remove(teamId: string): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('team_routing_endpoints').where('team_id', '=', teamId).execute();
        const result = await trx.deleteFrom('team_routing').where('team_id', '=', teamId).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },

    /** The routes (team ids, '' for the default) that list an endpoint. */
    async routesUsing(endpointId: string): Promise<string[]> {
      const rows = await db.selectFrom('team_routing_endpoints').select('team_id').where('endpoint_id', '=', endpointId).orderBy('team_id').execute();
      return rows.map((row) => row.team_id);
    },

    /**
     * Changes whenever a row is written or removed, so replicas reload only then. A removal keeps
     * no row, so the maximum updated_at alone could stay put; the count and the sum of updated_at
     * both move on any insert, update (updated_at always grows) or delete.
     */
    async version(): Promise<string> {
      const row = await db
        .selectFrom('team_routing')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('updated_at').as('total')])
        .executeTakeFirstOrThrow();
      return `${Number(row.n)}:${String(row.total ?? 0)}`;
    },
  };
}

export type TeamRoutingRepo = ReturnType<typeof createTeamRoutingRepo>;
