/**
 * The identity-provider form and the admin API's bodies (docs/admin-api.md, "Identity providers"):
 * lists are edited as comma-separated text, the group → team mapping as ordered rows (the first
 * group a person holds sets their team), and the client secret is write-only (left empty it stays
 * as it is). An edit sends only what changed, so a PATCH never rewrites a field nobody touched.
 * Pure, so it is unit-tested (test/portal/idp-form.test.ts).
 */
import type { CreateIdpInput, IdpRecord, UpdateIdpInput } from '../../api/types.js';

export interface GroupTeamRow {
  readonly group: string;
  readonly teamId: string;
}

export interface IdpForm {
  readonly name: string;
  readonly displayName: string;
  readonly issuer: string;
  readonly clientId: string;
  /** Write-only: empty keeps the stored secret. */
  readonly clientSecret: string;
  /** Makes the client public (PKCE only): `client_secret: null`. */
  readonly removeSecret: boolean;
  readonly audience: string;
  readonly scopes: string;
  readonly userClaims: string;
  readonly allowedDomains: string;
  readonly autoProvision: boolean;
  readonly defaultRole: 'admin' | 'member';
  readonly groupsClaim: string;
  readonly groupTeams: readonly GroupTeamRow[];
  readonly adminGroups: string;
  readonly enabled: boolean;
}

export type IdpFormErrors = Partial<Record<keyof IdpForm, string>>;

/** The API's defaults, so a new provider's form shows what it will get. */
export const NEW_IDP_FORM: IdpForm = {
  name: '',
  displayName: '',
  issuer: '',
  clientId: '',
  clientSecret: '',
  removeSecret: false,
  audience: '',
  scopes: 'openid, email, profile',
  userClaims: 'email, preferred_username, upn, sub',
  allowedDomains: '',
  autoProvision: true,
  defaultRole: 'member',
  groupsClaim: 'groups',
  groupTeams: [],
  adminGroups: '',
  enabled: true,
};

/** "a, b\nc" → ["a", "b", "c"]: trimmed, empty entries dropped, duplicates kept once in first order. */
export function parseList(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((item) => item.trim()).filter(Boolean))];
}

export const formatList = (items: readonly string[]): string => items.join(', ');

export function idpFormOf(idp: IdpRecord): IdpForm {
  return {
    name: idp.name,
    displayName: idp.display_name,
    issuer: idp.issuer,
    clientId: idp.client_id,
    clientSecret: '',
    removeSecret: false,
    audience: idp.audience,
    scopes: formatList(idp.scopes),
    userClaims: formatList(idp.user_claims),
    allowedDomains: formatList(idp.allowed_domains),
    autoProvision: idp.auto_provision,
    defaultRole: idp.default_role,
    groupsClaim: idp.groups_claim,
    groupTeams: Object.entries(idp.group_teams).map(([group, teamId]) => ({ group, teamId })),
    adminGroups: formatList(idp.admin_groups),
    enabled: idp.enabled,
  };
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const DOMAIN = /^[a-z0-9.-]+\.[a-z]{2,}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why an issuer cannot work, or undefined: https, or plain http on this machine only (as the API checks). */
export function issuerProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer.trim());
  } catch {
    return 'Enter the issuer URL, e.g. https://example.okta.com/oauth2/default.';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return undefined;
  return 'The issuer must use https (plain http only on localhost).';
}

/** Rows with a group and a team; fully blank rows (an added row left empty) are ignored. */
const filledRows = (rows: readonly GroupTeamRow[]) => rows.filter((row) => row.group.trim() || row.teamId);

/** What the browser's own constraints cannot check; the API has the last word. */
export function validateIdpForm(form: IdpForm, mode: 'create' | 'edit'): IdpFormErrors {
  const errors: { -readonly [K in keyof IdpForm]?: string } = {};
  if (mode === 'create' && !SLUG.test(form.name.trim())) errors.name = 'Use lowercase letters, digits and dashes, starting with a letter or digit (it appears in sign-in URLs).';
  const issuer = issuerProblem(form.issuer);
  if (issuer) errors.issuer = issuer;
  if (!form.clientId.trim()) errors.clientId = 'Enter the client id of CCAG’s application at the identity provider.';
  if (parseList(form.scopes).length === 0) errors.scopes = 'Name at least one scope (openid is needed for sign-in).';
  if (parseList(form.userClaims).length === 0) errors.userClaims = 'Name at least one claim to read the person’s email or username from.';
  const badDomain = parseList(form.allowedDomains).find((domain) => !DOMAIN.test(domain.toLowerCase()));
  if (badDomain) errors.allowedDomains = `“${badDomain}” is not a domain such as example.com.`;
  if (!form.groupsClaim.trim()) errors.groupsClaim = 'Name the claim that lists a person’s groups (usually groups).';
  const rows = filledRows(form.groupTeams);
  const groups = rows.map((row) => row.group.trim());
  if (rows.some((row) => !row.group.trim() || !row.teamId)) errors.groupTeams = 'Each mapping needs a group and a team.';
  else if (new Set(groups).size !== groups.length) errors.groupTeams = 'Each group can map to one team only.';
  return errors;
}

function groupTeamsOf(rows: readonly GroupTeamRow[]): Record<string, string> {
  return Object.fromEntries(filledRows(rows).map((row) => [row.group.trim(), row.teamId]));
}

/** The fields a create and an edit share, from a valid form. */
function bodyOf(form: IdpForm) {
  return {
    display_name: form.displayName.trim() || form.name.trim(),
    issuer: form.issuer.trim(),
    client_id: form.clientId.trim(),
    audience: form.audience.trim() || null,
    scopes: parseList(form.scopes),
    user_claims: parseList(form.userClaims),
    allowed_domains: parseList(form.allowedDomains).map((domain) => domain.toLowerCase()),
    auto_provision: form.autoProvision,
    default_role: form.defaultRole,
    groups_claim: form.groupsClaim.trim(),
    group_teams: groupTeamsOf(form.groupTeams),
    admin_groups: parseList(form.adminGroups),
    enabled: form.enabled,
  };
}

export function createIdpBody(form: IdpForm): CreateIdpInput {
  const { audience, ...body } = bodyOf(form);
  const secret = form.clientSecret;
  // Left out, the audience defaults to the client id and the client is public.
  return { name: form.name.trim(), ...body, ...(audience !== null && { audience }), ...(secret !== '' && { client_secret: secret }) };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the fields that differ from the provider as loaded, plus a new or removed secret; `{}` when nothing changed. */
export function updateIdpBody(form: IdpForm, original: IdpRecord): UpdateIdpInput {
  const next = bodyOf(form);
  const before = bodyOf(idpFormOf(original));
  const changed: Record<string, unknown> = {};
  for (const field of Object.keys(next) as (keyof typeof next)[]) {
    if (!same(next[field], before[field])) changed[field] = next[field];
  }
  if (form.removeSecret) changed.client_secret = null;
  else if (form.clientSecret !== '') changed.client_secret = form.clientSecret;
  return changed as UpdateIdpInput;
}
