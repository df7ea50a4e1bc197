/**
 * Identity: users, teams, virtual keys, admin API keys, browser sessions, device sign-in (OAuth),
 * identity providers (OIDC, IdP JWTs, SCIM), and the data plane's authenticator over all of them.
 * What replicas must agree on (keys, users, grants, IdPs) is mirrored in memory and polled.
 */
import type { Logger } from 'pino';
import type { ConfigArea } from '../config/config.area.js';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Store } from '../store/database.js';
import { createAdminApiKeysRepo } from './admin-api-keys.repo.js';
import { createAdminApiKeysService } from './admin-api-keys.service.js';
import { createAdminAuthenticator } from './admin-auth.js';
import { createAuthenticator, type AuthFailureReason } from './authenticator.js';
import { ensureBootstrapAdmin } from './bootstrap-admin.js';
import { createCsrf } from './csrf.js';
import { KeyCache } from './key-cache.js';
import { createKeysRepo } from './keys.repo.js';
import { createKeysService } from './keys.service.js';
import { LoginThrottle } from './login-throttle.js';
import { createDeviceCodesRepo } from './oauth/device-codes.repo.js';
import { GrantCache } from './oauth/grant-cache.js';
import { createGrantsRepo } from './oauth/grants.repo.js';
import { createOAuthService } from './oauth/oauth.service.js';
import { createScim } from './scim/scim.js';
import { GROUP_MEMBERSHIPS_POLL_MS, GroupMemberships } from './scim/group-memberships.js';
import { createScimGroupsRepo } from './scim/scim-groups.repo.js';
import { createSessionsService } from './sessions.service.js';
import { DiscoveryCache } from './sso/discovery.js';
import { IdpJwtResolver } from './sso/idp-jwt.js';
import { createIdpsRepo } from './sso/idps.repo.js';
import { createIdpsService } from './sso/idps.service.js';
import { createSignIn } from './sso/sign-in.js';
import { createSignInGroupsRecorder, createSignInGroupsRepo } from './sso/sign-in-groups.js';
import { createSubjectNamesRepo } from './subject-names.repo.js';
import { createTeamsRepo } from './teams.repo.js';
import { createTeamsService } from './teams.service.js';
import { refreshingAfterWrites, UserDirectory } from './user-directory.js';
import { createUsersRepo } from './users.repo.js';
import { createUsersService } from './users.service.js';

export interface IdentityDeps {
  readonly settings: Settings;
  readonly store: Store;
  readonly config: ConfigArea;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  readonly onAuthFailure: (reason: AuthFailureReason) => void;
}

export async function createIdentity(deps: IdentityDeps) {
  const { settings, store, config, lifecycle, log } = deps;
  const users = createUsersRepo(store.db);
  // Before the user directory loads: a first-run admin who signs in at once must be in it.
  const bootstrapAdmin = await ensureBootstrapAdmin(users, { username: settings.adminUsername, password: settings.adminPassword });
  const keysRepo = createKeysRepo(store.db);
  const keyCache = await lifecycle.polled('key cache', new KeyCache(keysRepo));
  const teams = createTeamsService({ teams: createTeamsRepo(store.db) });
  const keys = createKeysService({ keys: keysRepo, users, teams, cache: keyCache });
  // Read at each login, so a changed TTL applies to new sessions only.
  const sessions = createSessionsService({
    db: store.db,
    users,
    throttle: new LoginThrottle(),
    ttlHours: () => config.runtimeSettings.get('session_ttl_hours'),
  });
  // Users by id and email in memory: IdP JWTs (and OAuth tokens) check their user's status per request.
  const directory = await lifecycle.polled('user directory', new UserDirectory(users));
  const usersService = refreshingAfterWrites(createUsersService({ users, teams, keys: keysRepo, cache: keyCache, sessions }), directory);
  const adminKeys = createAdminApiKeysService({ repo: createAdminApiKeysRepo(store.db) });
  // Device sign-in (Claude Code's /login, `ccag login --sso`): access tokens resolve from memory.
  const grantsRepo = createGrantsRepo(store.db);
  const grantCache = await lifecycle.polled('OAuth grant cache', new GrantCache(grantsRepo, directory));
  const deviceCodes = createDeviceCodesRepo(store.db);
  const oauth = createOAuthService({
    deviceCodes,
    grants: grantsRepo,
    users,
    onGrant: (grant) => grantCache.apply(grant),
    accessTtlMinutes: settings.oauthAccessTtlMinutes,
    refreshTtlDays: settings.oauthRefreshTtlDays,
    deviceCodeTtlSeconds: settings.deviceCodeTtlSeconds,
  });
  const discovery = new DiscoveryCache(config.outbound);
  const idps = await lifecycle.polled('identity providers', createIdpsService({ repo: createIdpsRepo(store.db), box: config.box, checkDiscovery: (issuer) => discovery.check(issuer) }));
  // Who is in which IdP group (SCIM's groups and sign-ins' groups claims), for decisions by group (fleet policies) without a read per request.
  const scimGroups = createScimGroupsRepo(store.db);
  const signInGroups = createSignInGroupsRepo(store.db);
  const groupMemberships = await lifecycle.polled(
    'IdP group memberships',
    new GroupMemberships({ allMemberships: async () => (await Promise.all([scimGroups.allMemberships(), signInGroups.allMemberships()])).flat() }),
    GROUP_MEMBERSHIPS_POLL_MS,
  );
  const groups = createSignInGroupsRecorder({ repo: signInGroups, onChange: () => groupMemberships.refresh() });
  const signIn = createSignIn({ directory, users: usersService, usersRepo: users, log, groups });
  const idpJwt = new IdpJwtResolver({ idps, discovery, directory, signIn });
  /**
   * A live user by id or email, for admin-side questions (which policy applies to whom): from the
   * directory, else the database, since a user created moments ago (a key's new owner) reaches
   * the directory only at its next poll.
   */
  async function findUser(reference: string): Promise<{ id: string; email: string; teamId: string | null } | undefined> {
    const known = directory.byId(reference) ?? directory.byEmail(reference);
    if (known) return known;
    const row = reference.includes('@') ? await users.findByEmail(reference) : await users.findById(reference);
    return row && row.deleted_at === null ? { id: row.id, email: row.email, teamId: row.team_id } : undefined;
  }
  return {
    users: usersService,
    usersRepo: users,
    teams,
    keys,
    sessions,
    directory,
    adminKeys,
    adminAuth: createAdminAuthenticator({ sessions, adminKeys, oauth }),
    oauth,
    idps,
    scim: createScim({ db: store.db, idps, users: usersService, usersRepo: users, publicUrl: config.publicUrl }),
    discovery,
    signIn,
    csrf: createCsrf(config.masterKey),
    names: createSubjectNamesRepo(store.db),
    /** Virtual keys, device-flow tokens and IdP JWTs, in that order, from memory. */
    authenticator: createAuthenticator([keyCache, grantCache, idpJwt], deps.onAuthFailure),
    bootstrapAdmin,
    groupMemberships,
    findUser,
    /** Retention (docs/retention.md): device codes that expired before the cutoff, in batches. */
    purgeDeviceCodesBefore: deviceCodes.purgeBefore,
  };
}

export type Identity = Awaited<ReturnType<typeof createIdentity>>;
