/**
 * The real identity services over a real database, wired as src/app.ts wires them, for the
 * sign-in rules and the IdP JWT resolver; plus an identity provider value to vary per test.
 */
import { pino } from 'pino';
import { KeyCache } from '../../../src/identity/key-cache.js';
import { createKeysRepo } from '../../../src/identity/keys.repo.js';
import { LoginThrottle } from '../../../src/identity/login-throttle.js';
import { createSessionsService } from '../../../src/identity/sessions.service.js';
import { DEFAULT_SCOPES, DEFAULT_USER_CLAIMS, type IdentityProvider } from '../../../src/identity/sso/idps.service.js';
import { GroupMemberships } from '../../../src/identity/scim/group-memberships.js';
import { createSignIn } from '../../../src/identity/sso/sign-in.js';
import { createSignInGroupsRecorder, createSignInGroupsRepo } from '../../../src/identity/sso/sign-in-groups.js';
import { createTeamsRepo } from '../../../src/identity/teams.repo.js';
import { createTeamsService } from '../../../src/identity/teams.service.js';
import { refreshingAfterWrites, UserDirectory } from '../../../src/identity/user-directory.js';
import { createUsersRepo } from '../../../src/identity/users.repo.js';
import { createUsersService } from '../../../src/identity/users.service.js';
import type { Store } from '../../../src/store/database.js';

export async function identityServices(store: Store) {
  const usersRepo = createUsersRepo(store.db);
  const keysRepo = createKeysRepo(store.db);
  const teams = createTeamsService({ teams: createTeamsRepo(store.db) });
  const sessions = createSessionsService({ db: store.db, users: usersRepo, throttle: new LoginThrottle(), ttlHours: () => 24 });
  const directory = new UserDirectory(usersRepo);
  await directory.refresh();
  const users = refreshingAfterWrites(createUsersService({ users: usersRepo, teams, keys: keysRepo, cache: new KeyCache(keysRepo), sessions }), directory);
  const signInGroups = createSignInGroupsRepo(store.db);
  const memberships = new GroupMemberships(signInGroups);
  const groups = createSignInGroupsRecorder({ repo: signInGroups, onChange: () => memberships.refresh() });
  const signIn = createSignIn({ directory, users, usersRepo, log: pino({ level: 'silent' }), groups });
  return { usersRepo, teams, directory, users, signIn, memberships };
}

export function identityProvider(fields: Partial<IdentityProvider> = {}): IdentityProvider {
  return {
    id: 'idp-1',
    name: 'corp',
    displayName: 'Corp',
    issuer: 'https://idp.example.com',
    clientId: 'ccag',
    clientSecret: null,
    audience: 'ccag',
    audienceConfigured: false,
    scopes: DEFAULT_SCOPES,
    userClaims: DEFAULT_USER_CLAIMS,
    allowedDomains: [],
    autoProvision: true,
    defaultRole: 'member',
    groupsClaim: 'groups',
    groupTeams: {},
    adminGroups: [],
    scimEnabled: false,
    enabled: true,
    createdAt: 1,
    updatedAt: 1,
    ...fields,
  };
}
