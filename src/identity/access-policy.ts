/**
 * Who may do what through the admin API, in one place. Admins may do everything. Members may
 * manage only their own keys (list, create, revoke), read who they are, read the budgets that
 * apply to them (GET /admin/me/budgets, which looks at nobody but the caller) and read analytics
 * of their own usage; every other route is admin-only. Routes opt in to member access with
 * `config: { access: 'member' }` and then ask this
 * module to scope what the member touches, so a route cannot forget a check it never had to make.
 */
import { ApiError } from '../errors.js';

export interface Caller {
  readonly userId: string;
  readonly email: string;
  readonly role: 'admin' | 'member';
}

export type RouteAccess = 'admin' | 'member';

export const isAdmin = (caller: Caller) => caller.role === 'admin';

/** Refuses a caller whose role does not reach the route's access level. */
export function assertRouteAccess(caller: Caller, access: RouteAccess): void {
  if (access === 'admin' && !isAdmin(caller)) throw new ApiError('forbidden', 'This needs the admin role.');
}

/** Whose keys a listing shows: a member always sees only their own. */
export function keyListOwner(caller: Caller, requestedEmail: string | undefined): string | undefined {
  if (isAdmin(caller)) return requestedEmail;
  if (requestedEmail !== undefined && requestedEmail.toLowerCase() !== caller.email) throw notYours();
  return caller.email;
}

/** The owner a new key gets: admins name anyone (required), members only themselves (the default). */
export function newKeyOwner(caller: Caller, requestedEmail: string | undefined): string {
  if (isAdmin(caller)) {
    if (requestedEmail === undefined) throw new ApiError('invalid_request', 'user_email: required');
    return requestedEmail;
  }
  if (requestedEmail !== undefined && requestedEmail.toLowerCase() !== caller.email) throw notYours();
  return caller.email;
}

/** A member may not put a key on a team; it gets their own team like any key they create. */
export function newKeyTeam(caller: Caller, requestedTeamId: string | undefined): string | undefined {
  if (requestedTeamId !== undefined && !isAdmin(caller)) throw new ApiError('forbidden', 'Only admins create team-owned keys.');
  return requestedTeamId;
}

/** Whether the caller may revoke (or see) this key; others' keys look absent to a member. */
export function mayManageKey(caller: Caller, key: { user_id: string }): boolean {
  return isAdmin(caller) || key.user_id === caller.userId;
}

/**
 * Whose usage an analytics question covers: admins ask about anyone (a user, a team, or all);
 * a member's answers are always only their own, and naming someone else or a team is refused
 * rather than quietly narrowed, so a member never mistakes their figures for a team's.
 */
export function analyticsScope(caller: Caller, requested: { userId?: string | undefined; teamId?: string | undefined }): { userId?: string | undefined; teamId?: string | undefined } {
  if (isAdmin(caller)) return requested;
  if (requested.teamId !== undefined) throw new ApiError('forbidden', 'Members see only their own usage; team_id is for admins.');
  if (requested.userId !== undefined && requested.userId !== caller.userId) throw new ApiError('forbidden', "Members see only their own usage, not another user's.");
  return { userId: caller.userId };
}

function notYours(): ApiError {
  return new ApiError('forbidden', 'Members manage only their own keys.');
}
