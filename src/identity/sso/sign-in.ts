/**
 * The sign-in rules, shared by the browser flow and IdP JWTs on the data plane: from an IdP's
 * verified claims to the CCAG user they stand for (found, provisioned, or refused), with the
 * IdP's groups applied to the user's team and role.
 */
import type { Logger } from 'pino';
import { ApiError } from '../../errors.js';
import type { AuthFailureReason } from '../authenticator.js';
import type { DirectoryUser, UserDirectory } from '../user-directory.js';
import type { UsersRepo } from '../users.repo.js';
import type { UpdateUserInput, UsersService } from '../users.service.js';
import { groupEffects, groupsFromClaim, type GroupEffects } from './group-mapping.js';
import type { SignInGroupsRecorder } from './sign-in-groups.js';
import { DEFAULT_USER_CLAIMS, type IdentityProvider } from './idps.service.js';

export type SignInRefusal = Extract<AuthFailureReason, 'domain_not_allowed' | 'deactivated' | 'not_provisioned' | 'no_identity'>;
export type SignInResult = { readonly user: DirectoryUser } | { readonly refused: SignInRefusal };
export type Claims = Readonly<Record<string, unknown>>;

const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** The users service's answers for "the last admin" (conflict) and "no such team" (invalid_request). */
const SKIPPABLE = new Set(['conflict', 'invalid_request', 'not_found']);

/**
 * The identity the claims name: the first non-empty claim of the IdP's chain, lowercased.
 * An `email` the IdP marks unverified is skipped: trusting it would let anyone who can type an
 * address into their IdP profile take over the CCAG account with that address.
 * A bare `sub` (not an email) is accepted only when the admin configured a claim chain of their
 * own: with the default chain, reaching `sub` means the IdP sent no email or username at all
 * (almost always a missing scope or claim mapping), and an account named by an opaque id, unique
 * only within one issuer and pairwise per client at some IdPs, would become a second,
 * unrecognisable account for the same person once the mapping is fixed.
 */
export function identityOf(idp: Pick<IdentityProvider, 'userClaims'>, claims: Claims): string | undefined {
  const defaultChain = idp.userClaims.join() === DEFAULT_USER_CLAIMS.join();
  for (const claim of idp.userClaims) {
    const value = claims[claim];
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (claim === 'email' && claims.email_verified === false) continue;
    const identity = value.trim().toLowerCase();
    if (claim === 'sub' && defaultChain && !EMAIL.test(identity)) return undefined;
    return identity;
  }
  return undefined;
}

function domainAllowed(idp: Pick<IdentityProvider, 'allowedDomains'>, identity: string): boolean {
  if (idp.allowedDomains.length === 0) return true;
  const at = identity.lastIndexOf('@');
  return at > 0 && idp.allowedDomains.includes(identity.slice(at + 1));
}

/**
 * What the groups claim means for the user. A token without the claim says nothing about groups
 * (access tokens often leave it out even when ID tokens carry it), so it changes nothing; an
 * empty list is a statement, and removes the admin role.
 */
function effectsOf(idp: IdentityProvider, claims: Claims): GroupEffects {
  return claims[idp.groupsClaim] === undefined ? {} : groupEffects(idp, groupsFromClaim(claims[idp.groupsClaim]));
}

export interface SignInDeps {
  readonly directory: Pick<UserDirectory, 'byId' | 'byEmail' | 'apply'>;
  readonly users: Pick<UsersService, 'create' | 'update'>;
  readonly usersRepo: Pick<UsersRepo, 'update' | 'findById' | 'findByEmail'>;
  readonly log: Pick<Logger, 'warn'>;
  /** Keeps the groups claim for decisions by group (fleet policies). */
  readonly groups: SignInGroupsRecorder;
}

export type SignIn = (idp: IdentityProvider, claims: Claims) => Promise<SignInResult>;

export function createSignIn(deps: SignInDeps): SignIn {
  const { directory, users, usersRepo, log, groups } = deps;

  /** Re-reads a user this process wrote, so the directory (and the caller) see the new state at once. */
  async function reload(id: string): Promise<DirectoryUser> {
    const row = await usersRepo.findById(id);
    if (!row) throw new Error(`user ${id} vanished during sign-in`);
    directory.apply(row);
    return directory.byId(id)!;
  }

  /** A group-driven change that cannot apply (the last admin, a mapped team since deleted) is skipped, not fatal. */
  async function tryUpdate(user: DirectoryUser, patch: UpdateUserInput): Promise<boolean> {
    try {
      await users.update(user.id, patch);
      return true;
    } catch (error) {
      if (!(error instanceof ApiError) || !SKIPPABLE.has(error.code)) throw error;
      log.warn({ user_id: user.id, patch, reason: error.message }, 'group mapping change skipped at sign-in');
      return false;
    }
  }

  /** Creates the user with the role the groups (or the IdP's default) give; the team follows in `applyGroups`. */
  async function provision(idp: IdentityProvider, email: string, claims: Claims): Promise<DirectoryUser> {
    const role = effectsOf(idp, claims).role ?? idp.defaultRole;
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : null;
    try {
      return await reload((await users.create({ email, displayName: name, role })).id);
    } catch (error) {
      // A concurrent first sign-in (another request or replica) created the user: use theirs.
      const winner = error instanceof ApiError && error.code === 'conflict' ? await usersRepo.findByEmail(email) : undefined;
      if (!winner) throw error;
      directory.apply(winner);
      return directory.byId(winner.id)!;
    }
  }

  async function applyGroups(idp: IdentityProvider, user: DirectoryUser, claims: Claims): Promise<DirectoryUser> {
    const effects = effectsOf(idp, claims);
    let changed = false;
    if (effects.teamId !== undefined && effects.teamId !== user.teamId) changed = (await tryUpdate(user, { team_id: effects.teamId })) || changed;
    // The bootstrap admin (a local password) keeps the role, so a group change at the IdP can never lock everyone out.
    const demotion = effects.role === 'member' && user.role === 'admin';
    if (effects.role !== undefined && effects.role !== user.role && !(demotion && user.hasPassword)) {
      changed = (await tryUpdate(user, { role: effects.role })) || changed;
    }
    if (user.idpId !== idp.id) {
      await usersRepo.update(user.id, { idp_id: idp.id });
      changed = true;
    }
    return changed ? reload(user.id) : user;
  }

  return async function signIn(idp, claims) {
    const identity = identityOf(idp, claims);
    if (identity === undefined) return { refused: 'no_identity' };
    if (!domainAllowed(idp, identity)) return { refused: 'domain_not_allowed' };
    let user = directory.byEmail(identity);
    if (!user) {
      // With SCIM on, the IdP's provisioning decides who exists; sign-in never creates anyone.
      if (idp.scimEnabled || !idp.autoProvision) return { refused: 'not_provisioned' };
      user = await provision(idp, identity, claims);
    }
    // Checked after provisioning too: a concurrent sign-in's user may be deactivated by now.
    if (user.status !== 'active') return { refused: 'deactivated' };
    if (idp.scimEnabled && user.scimIdpId !== idp.id) return { refused: 'not_provisioned' };
    const signedIn = await applyGroups(idp, user, claims);
    // As for team and role, a token without the claim leaves the recorded groups as they are.
    const claimed = claims[idp.groupsClaim];
    if (claimed !== undefined) await groups.record(signedIn.id, idp.id, groupsFromClaim(claimed));
    return { user: signedIn };
  };
}
