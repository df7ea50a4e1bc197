/**
 * Policies as stored (migration 0014): one row each, lists as JSON text, `position` dense from 1.
 * Every write moves `updated_at` of the rows it touches and the mode row's, so the mirror's cheap
 * change probe (src/policy/policy-mirror.ts) sees deletes and reorders too.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, PoliciesTable } from '../store/schema.js';
import type { JsonValue } from './checksum.js';
import type { Policy, PolicyMatch, PolicyMode } from './resolution.js';

export interface StoredPolicy extends Policy {
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly updatedBy: string | null;
}

/** What an admin sets on a policy; the position is given by create (last) and move. */
export interface PolicyInput {
  readonly name: string;
  readonly match: PolicyMatch;
  readonly allowedModels: readonly string[] | null;
  readonly defaultModel: string | null;
  readonly settings: Readonly<Record<string, JsonValue>>;
}

const MODE_ROW = 1;

function fromRow(row: Selectable<PoliciesTable>): StoredPolicy {
  return {
    id: row.id,
    name: row.name,
    position: Number(row.position),
    match: {
      everyone: Number(row.match_everyone) === 1,
      teams: JSON.parse(row.match_teams) as string[],
      groups: JSON.parse(row.match_groups) as string[],
      domains: JSON.parse(row.match_domains) as string[],
    },
    allowedModels: row.allowed_models === null ? null : (JSON.parse(row.allowed_models) as string[]),
    defaultModel: row.default_model,
    settings: JSON.parse(row.settings) as Record<string, JsonValue>,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    updatedBy: row.updated_by,
  };
}

function columnsOf(input: PolicyInput) {
  return {
    name: input.name,
    match_everyone: input.match.everyone ? 1 : 0,
    match_teams: JSON.stringify(input.match.teams),
    match_groups: JSON.stringify(input.match.groups),
    match_domains: JSON.stringify(input.match.domains),
    allowed_models: input.allowedModels === null ? null : JSON.stringify(input.allowedModels),
    default_model: input.defaultModel,
    settings: JSON.stringify(input.settings),
  };
}

export function createPoliciesRepo(db: Kysely<Database>) {
  type Tx = Kysely<Database>;

  /** Bumps the mode row, the one version every replica probes (a delete leaves no row to bump). */
  async function touch(tx: Tx, now: number, by: string | null): Promise<void> {
    const previous = await tx.selectFrom('policy_settings').select('updated_at').where('id', '=', MODE_ROW).executeTakeFirst();
    // Always moves, even twice in one millisecond, so a replica's probe never misses a change.
    const version = Math.max(now, previous ? Number(previous.updated_at) + 1 : 0);
    if (previous) await tx.updateTable('policy_settings').set({ updated_at: version, updated_by: by }).where('id', '=', MODE_ROW).execute();
    else await tx.insertInto('policy_settings').values({ id: MODE_ROW, mode: 'first_match', updated_at: version, updated_by: by }).execute();
  }

  /** Rewrites positions 1..n in the given order. */
  async function renumber(tx: Tx, ids: readonly string[], now: number): Promise<void> {
    for (const [index, id] of ids.entries()) {
      await tx.updateTable('policies').set({ position: index + 1, updated_at: now }).where('id', '=', id).where('position', '!=', index + 1).execute();
    }
  }

  const orderedIds = async (tx: Tx): Promise<string[]> =>
    (await tx.selectFrom('policies').select('id').orderBy('position').orderBy('created_at').execute()).map((row) => row.id);

  return {
    async list(): Promise<StoredPolicy[]> {
      return (await db.selectFrom('policies').selectAll().orderBy('position').execute()).map(fromRow);
    },

    async mode(): Promise<{ mode: PolicyMode; updatedAt: number }> {
      const row = await db.selectFrom('policy_settings').select(['mode', 'updated_at']).where('id', '=', MODE_ROW).executeTakeFirst();
      return { mode: row?.mode ?? 'first_match', updatedAt: row ? Number(row.updated_at) : 0 };
    },

    /** A cheap probe: the newest change anywhere in the policies (0 before any). */
    async version(): Promise<number> {
      return (await this.mode()).updatedAt;
    },

    async create(input: PolicyInput, now: number, by: string | null): Promise<StoredPolicy> {
      const id = randomUUID();
      await db.transaction().execute(async (tx) => {
        const last = await tx.selectFrom('policies').select((eb) => eb.fn.max('position').as('max')).executeTakeFirst();
        const position = Number(last?.max ?? 0) + 1;
        await tx.insertInto('policies').values({ id, position, ...columnsOf(input), created_at: now, updated_at: now, updated_by: by }).execute();
        await touch(tx, now, by);
      });
      return (await this.find(id))!;
    },

    async update(id: string, input: PolicyInput, now: number, by: string | null): Promise<StoredPolicy | undefined> {
      const found = await db.transaction().execute(async (tx) => {
        const result = await tx.updateTable('policies').set({ ...columnsOf(input), updated_at: now, updated_by: by }).where('id', '=', id).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        await touch(tx, now, by);
        return true;
      });
      return found ? this.find(id) : undefined;
    },

    async delete(id: string, now: number, by: string | null): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        const result = await tx.deleteFrom('policies').where('id', '=', id).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        await renumber(tx, await orderedIds(tx), now);
        await touch(tx, now, by);
        return true;
      });
    },

    /** Moves a policy to a 1-based position (clamped), shifting the others. */
    async move(id: string, position: number, now: number, by: string | null): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        const ids = await orderedIds(tx);
        const from = ids.indexOf(id);
        if (from === -1) return false;
        ids.splice(from, 1);
        ids.splice(Math.min(Math.max(position, 1), ids.length + 1) - 1, 0, id);
        await renumber(tx, ids, now);
        await touch(tx, now, by);
        return true;
      });
    },

    async setMode(mode: PolicyMode, now: number, by: string | null): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await touch(tx, now, by);
        await tx.updateTable('policy_settings').set({ mode }).where('id', '=', MODE_ROW).execute();
      });
    },

    async find(id: string): Promise<StoredPolicy | undefined> {
      const row = await db.selectFrom('policies').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
  };
}

export type PoliciesRepo = ReturnType<typeof createPoliciesRepo>;
