/**
 * Human names of the identities other areas store only by id (budgets, budget events): a user's
 * email, a team's name, a key's prefix. Listings ask for a page's ids at once, one query per kind;
 * a search by name becomes ids here, so the other area filters its own table by them. Deleted
 * users are included (as their `deleted:<id>:<email>` tombstone): history keeps its names.
 */
import { sql, type Kysely } from 'kysely';
import { containsText, readInSlices } from '../store/paging.js';
import type { Database } from '../store/schema.js';

export type SubjectKind = 'user' | 'team' | 'key';
export type SubjectIds = Readonly<Record<SubjectKind, readonly string[]>>;
export type SubjectNames = Readonly<Record<SubjectKind, ReadonlyMap<string, string>>>;

export function createSubjectNamesRepo(db: Kysely<Database>) {
  const sources = {
    user: { table: 'users', name: 'email' },
    team: { table: 'teams', name: 'name' },
    key: { table: 'api_keys', name: 'prefix' },
  } as const;

  const namesOf = async (kind: SubjectKind, ids: readonly string[]): Promise<Map<string, string>> => {
    const { table, name } = sources[kind];
    const unique = [...new Set(ids)];
    const rows = await readInSlices(unique, (slice) => db.selectFrom(table).select(['id', sql<string>`${sql.ref(name)}`.as('name')]).where('id', 'in', slice).execute());
    return new Map(rows.map((row) => [row.id, row.name]));
  };

  const idsMatching = async (kind: SubjectKind, text: string): Promise<string[]> => {
    const { table, name } = sources[kind];
    const rows = await db.selectFrom(table).select('id').where(containsText([name], text)).execute();
    return rows.map((row) => row.id);
  };

  return {
    /** Names by id for the ids given (unknown ids are absent). */
    async of(ids: Partial<SubjectIds>): Promise<SubjectNames> {
      const [user, team, key] = await Promise.all([namesOf('user', ids.user ?? []), namesOf('team', ids.team ?? []), namesOf('key', ids.key ?? [])]);
      return { user, team, key };
    },

    /** Ids of the users, teams and keys whose email, name or prefix contains `text`, ignoring case. */
    async matching(text: string): Promise<SubjectIds> {
      const [user, team, key] = await Promise.all([idsMatching('user', text), idsMatching('team', text), idsMatching('key', text)]);
      return { user, team, key };
    },
  };
}

export type SubjectNamesRepo = ReturnType<typeof createSubjectNamesRepo>;
