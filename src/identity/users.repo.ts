import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { containsText, fetchPage, textKey, valueKey, type Page, type PageRequest } from '../store/paging.js';
import type { Database, UsersTable } from '../store/schema.js';

export type User = Selectable<UsersTable>;
/** A user as the admin API lists it: with the name of their team. */
export type UserWithTeam = User & { team_name: string | null };
export type UserPatch = Pick<
  Updateable<UsersTable>,
  'display_name' | 'role' | 'status' | 'team_id' | 'email' | 'password_hash' | 'deleted_at' | 'idp_id' | 'scim_idp_id' | 'scim_external_id'
>;

export interface UserFilter {
  teamId?: string | undefined;
  status?: User['status'] | undefined;
  role?: User['role'] | undefined;
}

export type UserSort = 'email' | 'created_at' | 'role' | 'status' | 'team_name';

const SORT_KEYS = {
  email: textKey('users.email'),
  created_at: valueKey('users.created_at'),
  role: textKey('users.role'),
  status: textKey('users.status'),
  team_name: textKey('teams.name'),
};

export function createUsersRepo(db: Kysely<Database>) {
  // Deleted users are tombstones kept for history; nothing but spend reports should see them.
  const live = () =>
    db
      .selectFrom('users')
      .leftJoin('teams', 'teams.id', 'users.team_id')
      .selectAll('users')
      .select('teams.name as team_name')
      .where('users.deleted_at', 'is', null);
  const filtered = (filter: UserFilter) => {
    let query = live();
    if (filter.teamId) query = query.where('users.team_id', '=', filter.teamId);
    if (filter.status) query = query.where('users.status', '=', filter.status);
    if (filter.role) query = query.where('users.role', '=', filter.role);
    return query;
  };

  return {
    findByEmail(email: string): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },

    findById(id: string): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },

    findLive(id: string): Promise<UserWithTeam | undefined> {
      return live().where('users.id', '=', id).executeTakeFirst();
    },

    list(filter: UserFilter = {}): Promise<UserWithTeam[]> {
      return filtered(filter).orderBy('users.email').execute();
    },

    /** A page of live users; `q` searches email and display name. */
    page(request: PageRequest<UserSort> & UserFilter): Promise<Page<UserWithTeam>> {
      const query = filtered(request);
      return fetchPage(request.q ? query.where(containsText(['users.email', 'users.display_name'], request.q)) : query, request, SORT_KEYS[request.sort], 'users.id');
    },

    /** Every user (tombstones included, so caches can drop them) written after `since` (epoch ms). */
    changedSince(since: number): Promise<User[]> {
      return db.selectFrom('users').selectAll().where('updated_at', '>', since).execute();
    },

    /** Live users a SCIM client of this IdP provisioned (or adopted): all it may see. */
    listByScimIdp(idpId: string): Promise<UserWithTeam[]> {
      return live().where('users.scim_idp_id', '=', idpId).orderBy('users.created_at').orderBy('users.id').execute();
    },

    countAdmins(): Promise<number> {
      return db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'admin')
        .executeTakeFirstOrThrow()
        .then((row) => Number(row.n));
    },

    async insert(fields: {
      email: string;
      role: User['role'];
      passwordHash?: string | null;
      displayName?: string | null;
      teamId?: string | null;
      idpId?: string | null;
      scimIdpId?: string | null;
      scimExternalId?: string | null;
    }): Promise<User> {
      const now = Date.now();
      const user: User = {
        id: randomUUID(),
        email: fields.email.toLowerCase(),
        display_name: fields.displayName ?? null,
        role: fields.role,
        status: 'active',
        team_id: fields.teamId ?? null,
        password_hash: fields.passwordHash ?? null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        idp_id: fields.idpId ?? null,
        scim_idp_id: fields.scimIdpId ?? null,
        scim_external_id: fields.scimExternalId ?? null,
      };
      await db.insertInto('users').values(user).execute();
      return user;
    },

    /**
     * Updates a live user and bumps updated_at (which is what other replicas' key caches poll).
     * With `keepAnAdmin` the write only happens while another active admin exists, in the same
     * statement, so two concurrent demotions cannot both pass a separate count check.
     */
    async update(id: string, patch: UserPatch, options: { keepAnAdmin?: boolean } = {}): Promise<boolean> {
      let query = db
        .updateTable('users')
        .set({ ...patch, updated_at: Date.now() })
        .where('id', '=', id)
        .where('deleted_at', 'is', null);
      if (options.keepAnAdmin) {
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('users as other')
              .select('other.id')
              .where('other.id', '<>', id)
              .where('other.role', '=', 'admin')
              .where('other.status', '=', 'active')
              .where('other.deleted_at', 'is', null),
          ),
        );
      }
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** The user with this email, created as an active member when new (key owners by email). */
    async ensureMember(email: string): Promise<User> {
      const existing = await this.findByEmail(email);
      if (existing) return existing;
      try {
        return await this.insert({ email, role: 'member' });
      } catch (error) {
        // Two admins creating keys for a new user at once: the unique email decides, read the winner.
        const winner = await this.findByEmail(email);
        if (winner) return winner;
        throw error;
      }
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
