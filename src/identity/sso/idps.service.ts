/**
 * OIDC identity providers: several at once, stored in the database with the client secret sealed
 * under the master key. Every replica keeps the enabled providers in memory (the data plane looks
 * an IdP JWT's issuer up per request) and reloads them when another replica changes one.
 */
import { randomUUID } from 'node:crypto';
import type { SecretBox } from '../../config/secret-box.js';
import { ApiError } from '../../errors.js';
import type { IdpRow, IdpsRepo } from './idps.repo.js';

/** Claims tried in order for a user's identity when none are configured (spec §3). */
export const DEFAULT_USER_CLAIMS = ['email', 'preferred_username', 'upn', 'sub'] as const;
export const DEFAULT_SCOPES = ['openid', 'email', 'profile'] as const;

export interface IdentityProvider {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
  /** The `aud` IdP-issued JWTs must carry on the data plane (the client id unless configured). */
  readonly audience: string;
  readonly audienceConfigured: boolean;
  readonly scopes: readonly string[];
  readonly userClaims: readonly string[];
  readonly allowedDomains: readonly string[];
  readonly autoProvision: boolean;
  readonly defaultRole: 'admin' | 'member';
  readonly groupsClaim: string;
  readonly groupTeams: Readonly<Record<string, string>>;
  readonly adminGroups: readonly string[];
  readonly scimEnabled: boolean;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface IdpInput {
  name: string;
  displayName?: string;
  issuer: string;
  clientId: string;
  clientSecret?: string | null;
  audience?: string | null;
  scopes?: string[];
  userClaims?: string[];
  allowedDomains?: string[];
  autoProvision?: boolean;
  defaultRole?: 'admin' | 'member';
  groupsClaim?: string;
  groupTeams?: Record<string, string>;
  adminGroups?: string[];
  enabled?: boolean;
}

export type IdpPatch = Partial<Omit<IdpInput, 'name'>> & { scimEnabled?: boolean };

/** Checks that an issuer publishes OIDC discovery; throws a clear 400 otherwise. */
export type DiscoveryCheck = (issuer: string) => Promise<void>;

function decode(row: IdpRow, box: SecretBox): IdentityProvider {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecret: row.client_secret === null ? null : box.open(row.client_secret),
    audience: row.audience ?? row.client_id,
    audienceConfigured: row.audience !== null,
    scopes: JSON.parse(row.scopes) as string[],
    userClaims: JSON.parse(row.user_claims) as string[],
    allowedDomains: JSON.parse(row.allowed_domains) as string[],
    autoProvision: row.auto_provision === 1,
    defaultRole: row.default_role,
    groupsClaim: row.groups_claim,
    groupTeams: JSON.parse(row.group_teams) as Record<string, string>,
    adminGroups: JSON.parse(row.admin_groups) as string[],
    scimEnabled: row.scim_enabled === 1,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Issuer URLs compare without a trailing slash, as IdPs differ in how they print them. */
export const normalizeIssuer = (issuer: string) => issuer.replace(/\/+$/, '');

export function createIdpsService(deps: { repo: IdpsRepo; box: SecretBox; checkDiscovery: DiscoveryCheck }) {
  const { repo, box } = deps;
  let byName = new Map<string, IdentityProvider>();
  let byIssuer = new Map<string, IdentityProvider>();
  let loadedChange = -1;
  let timer: NodeJS.Timeout | undefined;

  async function reload(): Promise<void> {
    // The version before the rows: a change landing in between then moves it past what was
    // recorded, and the next refresh reads it (read after, it would be recorded unread).
    const change = await repo.lastChange();
    const all = (await repo.list()).map((row) => decode(row, box));
    byName = new Map(all.map((idp) => [idp.name, idp]));
    byIssuer = new Map(all.filter((idp) => idp.enabled).map((idp) => [normalizeIssuer(idp.issuer), idp]));
    loadedChange = change;
  }

  async function require(idOrName: string): Promise<IdpRow> {
    const row = await repo.find(idOrName);
    if (!row) throw new ApiError('not_found', `no identity provider "${idOrName}"`);
    return row;
  }

  const service = {
    /** Picks up other replicas' changes; cheap when nothing changed. */
    async refresh(): Promise<void> {
      if ((await repo.lastChange()) !== loadedChange) await reload();
    },

    startPolling(intervalMs: number, onError: (error: unknown) => void): void {
      timer = setInterval(() => service.refresh().catch(onError), intervalMs);
      timer.unref();
    },

    stop(): void {
      clearInterval(timer);
    },

    /** In-memory lookups for the request path (enabled or not; callers check `enabled`). */
    byName: (name: string): IdentityProvider | undefined => byName.get(name),
    /** The enabled provider with this issuer, for IdP JWTs on the data plane. */
    byIssuer: (issuer: string): IdentityProvider | undefined => byIssuer.get(normalizeIssuer(issuer)),
    /** Enabled providers, for the sign-in choices. */
    enabled: (): IdentityProvider[] => [...byName.values()].filter((idp) => idp.enabled),
    /** Every provider, enabled or not, by name (the admin system view). */
    all: (): IdentityProvider[] => [...byName.values()],

    async list(): Promise<IdentityProvider[]> {
      return (await repo.list()).map((row) => decode(row, box));
    },

    async get(idOrName: string): Promise<IdentityProvider> {
      return decode(await require(idOrName), box);
    },

    async create(input: IdpInput): Promise<IdentityProvider> {
      if (await repo.find(input.name)) throw new ApiError('conflict', `an identity provider named "${input.name}" already exists`);
      const issuer = normalizeIssuer(input.issuer);
      if ((await repo.list()).some((row) => normalizeIssuer(row.issuer) === issuer && row.enabled === 1)) {
        throw new ApiError('conflict', `an enabled identity provider already uses issuer ${issuer}`);
      }
      await deps.checkDiscovery(issuer);
      const now = Date.now();
      const row: IdpRow = {
        id: randomUUID(),
        name: input.name,
        display_name: input.displayName ?? input.name,
        issuer,
        client_id: input.clientId,
        client_secret: input.clientSecret ? box.seal(input.clientSecret) : null,
        audience: input.audience ?? null,
        scopes: JSON.stringify(input.scopes ?? DEFAULT_SCOPES),
        user_claims: JSON.stringify(input.userClaims ?? DEFAULT_USER_CLAIMS),
        allowed_domains: JSON.stringify((input.allowedDomains ?? []).map((d) => d.toLowerCase())),
        auto_provision: input.autoProvision === false ? 0 : 1,
        default_role: input.defaultRole ?? 'member',
        groups_claim: input.groupsClaim ?? 'groups',
        group_teams: JSON.stringify(input.groupTeams ?? {}),
        admin_groups: JSON.stringify(input.adminGroups ?? []),
        scim_enabled: 0,
        enabled: input.enabled === false ? 0 : 1,
        created_at: now,
        updated_at: now,
      };
      try {
        await repo.insert(row);
      } catch (error) {
        if (await repo.find(input.name)) throw new ApiError('conflict', `an identity provider named "${input.name}" already exists`);
        throw error;
      }
      await reload();
      return decode(row, box);
    },

    async update(idOrName: string, patch: IdpPatch): Promise<IdentityProvider> {
      const row = await require(idOrName);
      if (patch.issuer !== undefined) await deps.checkDiscovery(normalizeIssuer(patch.issuer));
      await repo.update(row.id, {
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...(patch.issuer !== undefined && { issuer: normalizeIssuer(patch.issuer) }),
        ...(patch.clientId !== undefined && { client_id: patch.clientId }),
        ...(patch.clientSecret !== undefined && { client_secret: patch.clientSecret ? box.seal(patch.clientSecret) : null }),
        ...(patch.audience !== undefined && { audience: patch.audience }),
        ...(patch.scopes !== undefined && { scopes: JSON.stringify(patch.scopes) }),
        ...(patch.userClaims !== undefined && { user_claims: JSON.stringify(patch.userClaims) }),
        ...(patch.allowedDomains !== undefined && { allowed_domains: JSON.stringify(patch.allowedDomains.map((d) => d.toLowerCase())) }),
        ...(patch.autoProvision !== undefined && { auto_provision: patch.autoProvision ? 1 : 0 }),
        ...(patch.defaultRole !== undefined && { default_role: patch.defaultRole }),
        ...(patch.groupsClaim !== undefined && { groups_claim: patch.groupsClaim }),
        ...(patch.groupTeams !== undefined && { group_teams: JSON.stringify(patch.groupTeams) }),
        ...(patch.adminGroups !== undefined && { admin_groups: JSON.stringify(patch.adminGroups) }),
        ...(patch.scimEnabled !== undefined && { scim_enabled: patch.scimEnabled ? 1 : 0 }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled ? 1 : 0 }),
        updated_at: Math.max(Date.now(), row.updated_at + 1),
      });
      await reload();
      return service.get(row.id);
    },

    async delete(idOrName: string): Promise<void> {
      const row = await require(idOrName);
      await repo.delete(row.id);
      await reload();
    },
  };
  return service;
}

export type IdpsService = ReturnType<typeof createIdpsService>;
