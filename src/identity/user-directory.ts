/**
 * Every live user in memory, by id and by email, for credentials that name a user rather than a
 * key (IdP JWTs, gateway OAuth tokens): checking such a caller's status per request must not read
 * the database. Loaded at start, then polled incrementally by `users.updated_at` like the key
 * cache; `refresh()` after a write in this process makes the change visible at once.
 *
 * API: `byId`, `byEmail` (lookups), `apply(user)` (a row this process just wrote), `refresh()`,
 * `startPolling`/`stop`, and `refreshingAfterWrites` to wrap the users service.
 */
import { TableMirror } from '../store/table-mirror.js';
import type { UsersService } from './users.service.js';
import type { User, UsersRepo } from './users.repo.js';

export interface DirectoryUser {
  readonly id: string;
  readonly email: string;
  readonly role: User['role'];
  readonly status: User['status'];
  readonly teamId: string | null;
  /** The IdP the user last signed in through (or was provisioned by). */
  readonly idpId: string | null;
  /** The IdP whose SCIM client provisioned the user. */
  readonly scimIdpId: string | null;
  /** A local password (the bootstrap admin): group claims never demote such a user. */
  readonly hasPassword: boolean;
  readonly updatedAt: number;
}

export class UserDirectory extends TableMirror<User> {
  private readonly ids = new Map<string, DirectoryUser>();
  private readonly emails = new Map<string, DirectoryUser>();

  constructor(repo: Pick<UsersRepo, 'changedSince'>) {
    super((since) => repo.changedSince(since), (row) => row.updated_at);
  }

  byId(id: string): DirectoryUser | undefined {
    return this.ids.get(id);
  }

  byEmail(email: string): DirectoryUser | undefined {
    return this.emails.get(email.toLowerCase());
  }

  /** Records a user row; deleted users (tombstones) leave the directory. */
  apply(row: User): void {
    const previous = this.ids.get(row.id);
    // An older row (a poll racing a local write) must not undo the newer state.
    if (previous && previous.updatedAt > row.updated_at) return;
    if (previous) this.emails.delete(previous.email);
    if (row.deleted_at !== null) {
      this.ids.delete(row.id);
      return;
    }
    const user: DirectoryUser = {
      id: row.id,
      email: row.email,
      role: row.role,
      status: row.status,
      teamId: row.team_id,
      idpId: row.idp_id,
      scimIdpId: row.scim_idp_id,
      hasPassword: row.password_hash !== null,
      updatedAt: row.updated_at,
    };
    this.ids.set(user.id, user);
    this.emails.set(user.email, user);
  }
}

/**
 * The users service, with the directory refreshed after each write it makes, so a deactivation
 * through this process refuses the user's IdP tokens on the very next request.
 */
export function refreshingAfterWrites(service: UsersService, directory: Pick<UserDirectory, 'refresh'>): UsersService {
  const after =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await write(...args);
      await directory.refresh();
      return result;
    };
  return {
    ...service,
    create: after(service.create),
    update: after(service.update),
    deactivate: after(service.deactivate),
    reactivate: after(service.reactivate),
    delete: after(service.delete),
  };
}
