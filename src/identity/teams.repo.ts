import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { containsText, fetchPage, textKey, valueKey, type Page, type PageRequest } from '../store/paging.js';
import type { Database, TeamsTable } from '../store/schema.js';

export type Team = Selectable<TeamsTable>;
/** A team with what an admin needs to judge it: its live members and active keys. */
export type TeamWithCounts = Team & { member_count: number; key_count: number };
export type TeamSort = 'name' | 'member_count' | 'key_count' | 'created_at';

// The counts are output columns (correlated subqueries), ordered by their alias.
const SORT_KEYS = { name: textKey('teams.name'), member_count: valueKey('member_count'), key_count: valueKey('key_count'), created_at: valueKey('teams.created_at') };

export function createTeamsRepo(db: Kysely<Database>) {
  const withCounts = () =>
    db
      .selectFrom('teams')
      .selectAll('teams')
      .select((eb) => [
        eb
          .selectFrom('users')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('users.team_id', '=', 'teams.id')
          .where('users.deleted_at', 'is', null)
          .as('member_count'),
        eb
          .selectFrom('api_keys')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('api_keys.team_id', '=', 'teams.id')
          .where('api_keys.status', '=', 'active')
          .as('key_count'),
      ]);
  // COUNT is a bigint on PostgreSQL; keep both dialects' answers plain numbers.
  const counted = (row: Team & { member_count: number | null; key_count: number | null }): TeamWithCounts => ({
    ...row,
    member_count: Number(row.member_count ?? 0),
    key_count: Number(row.key_count ?? 0),
  });

  return {
    async list(): Promise<TeamWithCounts[]> {
      return (await withCounts().orderBy('teams.name').execute()).map(counted);
    },

    /** Every team's name by id, without the counts (for labels in other areas' reports). */
    async names(): Promise<Map<string, string>> {
      const rows = await db.selectFrom('teams').select(['id', 'name']).execute();
      return new Map(rows.map((row) => [row.id, row.name]));
    },

    /** A page of teams; `q` searches the name. */
    async page(request: PageRequest<TeamSort>): Promise<Page<TeamWithCounts>> {
      const query = request.q ? withCounts().where(containsText(['teams.name'], request.q)) : withCounts();
      const { rows, total } = await fetchPage(query, request, SORT_KEYS[request.sort], 'teams.id');
      return { rows: rows.map(counted), total };
    },

    async findById(id: string): Promise<TeamWithCounts | undefined> {
      const row = await withCounts().where('teams.id', '=', id).executeTakeFirst();
      return row && counted(row);
    },

    findByName(name: string): Promise<Team | undefined> {
      return db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
    },

    async insert(name: string): Promise<Team> {
      const now = Date.now();
      const team: Team = { id: randomUUID(), name, created_at: now, updated_at: now };
      await db.insertInto('teams').values(team).execute();
      return team;
    },

    async rename(id: string, name: string): Promise<boolean> {
      const result = await db.updateTable('teams').set({ name, updated_at: Date.now() }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Deletes only an empty team, checked in the same statement so a concurrent assignment cannot slip in. */
    async deleteIfEmpty(id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('teams')
        .where('id', '=', id)
        .where((eb) =>
          eb.and([
            eb.not(eb.exists(eb.selectFrom('users').select('users.id').whereRef('users.team_id', '=', 'teams.id').where('users.deleted_at', 'is', null))),
            eb.not(eb.exists(eb.selectFrom('api_keys').select('api_keys.id').whereRef('api_keys.team_id', '=', 'teams.id').where('api_keys.status', '=', 'active'))),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type TeamsRepo = ReturnType<typeof createTeamsRepo>;
