/**
 * Users: email identity, role, status and team. Two rules hold across every change:
 *  - the last active admin can never be deactivated, demoted or deleted (the gateway would be
 *    unmanageable), enforced inside the UPDATE itself (users.repo.ts);
 *  - a status change reaches authentication at once: this process re-applies the user's keys to
 *    the key cache, and the bumped users.updated_at makes other replicas' cache polls pick it up.
 *    Admin sessions and admin API keys need nothing extra: every check of them reads users.status.
 * Deleting keeps the row as a tombstone (see `delete`), so spend history never loses its owner.
 */
import { ApiError } from '../errors.js';
import type { KeyCache } from './key-cache.js';
import type { KeysRepo } from './keys.repo.js';
import type { SessionsService } from './sessions.service.js';
import type { TeamsService } from './teams.service.js';
import type { PageRequest } from '../store/paging.js';
import type { User, UserFilter, UserPatch, UserSort, UserWithTeam, UsersRepo } from './users.repo.js';

export interface CreateUserInput {
  email: string;
  displayName?: string | null;
  role?: User['role'];
  teamId?: string | null;
}

export type UpdateUserInput = Partial<Pick<User, 'display_name' | 'role' | 'status' | 'team_id'>>;

export function createUsersService(deps: {
  users: UsersRepo;
  teams: TeamsService;
  keys: KeysRepo;
  cache: KeyCache;
  sessions: Pick<SessionsService, 'revokeAllFor'>;
}) {
  const { users, teams, keys, cache, sessions } = deps;

  /** Re-reads the user's keys (joined with the new owner status) into this process's cache. */
  async function applyToKeyCache(userId: string): Promise<void> {
    for (const key of await keys.list({ userId, includeRevoked: true })) cache.apply(key);
  }

  const lastAdmin = (user: User) => new ApiError('conflict', `${user.email} is the last active admin; make another user an admin first`);

  /** Writes the patch, refusing it when it would leave no active admin. */
  async function write(user: User, patch: UserPatch): Promise<void> {
    const staysAdmin = (patch.role ?? user.role) === 'admin' && (patch.status ?? user.status) === 'active' && patch.deleted_at == null;
    const keepAnAdmin = user.role === 'admin' && user.status === 'active' && !staysAdmin;
    if (!(await users.update(user.id, patch, { keepAnAdmin }))) {
      if (keepAnAdmin) throw lastAdmin(user);
      throw new ApiError('not_found', `no user with id ${user.id}`);
    }
  }

  const service = {
    list: (filter: UserFilter) => users.list(filter),
    page: (request: PageRequest<UserSort> & UserFilter) => users.page(request),

    async get(id: string): Promise<UserWithTeam> {
      const user = await users.findLive(id);
      if (!user) throw new ApiError('not_found', `no user with id ${id}`);
      return user;
    },

    async create(input: CreateUserInput): Promise<UserWithTeam> {
      if (input.teamId) await teams.assertExists(input.teamId);
      const taken = () => new ApiError('conflict', `a user with email ${input.email.toLowerCase()} already exists`);
      if (await users.findByEmail(input.email)) throw taken();
      try {
        const user = await users.insert({ email: input.email, role: input.role ?? 'member', displayName: input.displayName ?? null, teamId: input.teamId ?? null });
        return await service.get(user.id);
      } catch (error) {
        if (await users.findByEmail(input.email)) throw taken();
        throw error;
      }
    },

    /** A team change moves the user only; their existing keys keep the team they were created for. */
    async update(id: string, input: UpdateUserInput): Promise<UserWithTeam> {
      const user = await service.get(id);
      if (input.team_id) await teams.assertExists(input.team_id);
      await write(user, input);
      if (input.status !== undefined && input.status !== user.status) {
        // A reactivated user signs in again rather than getting old sessions back.
        if (input.status === 'deactivated') await sessions.revokeAllFor(id);
        await applyToKeyCache(id);
      }
      return service.get(id);
    },

    /** Admin-side sign-out: ends the user's sessions without touching the account; returns how many. */
    async revokeSessions(id: string): Promise<number> {
      await service.get(id);
      return sessions.revokeAllFor(id);
    },

    deactivate: (id: string) => service.update(id, { status: 'deactivated' }),
    reactivate: (id: string) => service.update(id, { status: 'active' }),

    /**
     * Deletion keeps the row: api_keys (NOT NULL user_id) and spend_ledger rows still reference
     * it, and revoked keys must keep showing their prefix and owner. The tombstone is deactivated,
     * loses its password, team and sessions, its keys are revoked, and its email is rewritten to
     * `deleted:<id>:<email>` so the address is free for a new user yet still readable in history.
     */
    async delete(id: string): Promise<void> {
      const user = await service.get(id);
      const now = Date.now();
      await write(user, { status: 'deactivated', deleted_at: now, email: `deleted:${user.id}:${user.email}`, password_hash: null, team_id: null });
      for (const key of await keys.list({ userId: id })) await keys.revoke(key.id);
      await sessions.revokeAllFor(id);
      await applyToKeyCache(id);
    },
  };
  return service;
}

export type UsersService = ReturnType<typeof createUsersService>;
