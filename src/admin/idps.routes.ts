import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IdentityProvider, IdpInput, IdpPatch } from '../identity/sso/idps.service.js';
import { publicBaseOf } from '../identity/public-url.js';
import { listQuery, pageInMemory } from './list-query.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';
import { iso } from './wire-format.js';

const slug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes (it appears in sign-in URLs)');
const text = z.string().trim().min(1).max(500);
const names = z.array(z.string().trim().min(1).max(200)).max(100);
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain such as example.com');

const fields = {
  display_name: text.optional(),
  issuer: z.url(),
  client_id: text,
  client_secret: z.string().min(1).max(4096).nullable().optional(),
  audience: text.nullable().optional(),
  scopes: names.min(1).optional(),
  user_claims: names.min(1).optional(),
  allowed_domains: z.array(domain).max(100).optional(),
  auto_provision: z.boolean().optional(),
  default_role: z.enum(['admin', 'member']).optional(),
  groups_claim: text.optional(),
  group_teams: z.record(z.string().trim().min(1).max(200), z.string().trim().min(1).max(200)).optional(),
  admin_groups: names.optional(),
  enabled: z.boolean().optional(),
};

const idpsQuery = listQuery({ name: 'asc', display_name: 'asc', issuer: 'asc', enabled: 'desc', created_at: 'desc' }, 'name');

const createBody = z.object({ name: slug, ...fields }).strict();
const updateBody = z.object({ ...fields, issuer: fields.issuer.optional(), client_id: fields.client_id.optional() }).strict();

/** Request bodies of POST and PATCH /admin/idps (shared with the CLI). */
export type CreateIdpBody = z.input<typeof createBody>;
export type UpdateIdpBody = z.input<typeof updateBody>;

function toInput(body: z.infer<typeof updateBody>): IdpPatch {
  return {
    ...(body.display_name !== undefined && { displayName: body.display_name }),
    ...(body.issuer !== undefined && { issuer: body.issuer }),
    ...(body.client_id !== undefined && { clientId: body.client_id }),
    ...(body.client_secret !== undefined && { clientSecret: body.client_secret }),
    ...(body.audience !== undefined && { audience: body.audience }),
    ...(body.scopes !== undefined && { scopes: body.scopes }),
    ...(body.user_claims !== undefined && { userClaims: body.user_claims }),
    ...(body.allowed_domains !== undefined && { allowedDomains: body.allowed_domains }),
    ...(body.auto_provision !== undefined && { autoProvision: body.auto_provision }),
    ...(body.default_role !== undefined && { defaultRole: body.default_role }),
    ...(body.groups_claim !== undefined && { groupsClaim: body.groups_claim }),
    ...(body.group_teams !== undefined && { groupTeams: body.group_teams }),
    ...(body.admin_groups !== undefined && { adminGroups: body.admin_groups }),
    ...(body.enabled !== undefined && { enabled: body.enabled }),
  };
}


/** The whitelist of provider fields the API shows: the client secret is only said to be set. */
export function presentIdp(idp: IdentityProvider, baseUrl: string) {
  return {
    id: idp.id,
    name: idp.name,
    display_name: idp.displayName,
    issuer: idp.issuer,
    client_id: idp.clientId,
    client_secret_set: idp.clientSecret !== null,
    audience: idp.audience,
    scopes: idp.scopes,
    user_claims: idp.userClaims,
    allowed_domains: idp.allowedDomains,
    auto_provision: idp.autoProvision,
    default_role: idp.defaultRole,
    groups_claim: idp.groupsClaim,
    group_teams: idp.groupTeams,
    admin_groups: idp.adminGroups,
    scim_enabled: idp.scimEnabled,
    enabled: idp.enabled,
    /** What to register at the IdP as the redirect (callback) URI. */
    redirect_uri: `${baseUrl}/auth/oidc/callback`,
    login_url: `${baseUrl}/auth/oidc/${idp.name}/login`,
    created_at: iso(idp.createdAt),
    updated_at: iso(idp.updatedAt),
  };
}

/** An identity provider as the admin API shows it (shared with the CLI). */
export type IdpView = ReturnType<typeof presentIdp>;

export function registerIdpRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const baseUrl = (request: FastifyRequest) => publicBaseOf(request, deps.publicUrl);

  app.get('/idps', async (request) => {
    const query = validate(idpsQuery, request.query);
    return pageInMemory((await deps.idps.list()).map((idp) => presentIdp(idp, baseUrl(request))), query, {
      sort: { name: (idp) => idp.name, display_name: (idp) => idp.display_name, issuer: (idp) => idp.issuer, enabled: (idp) => idp.enabled, created_at: (idp) => idp.created_at },
      text: (idp) => [idp.name, idp.display_name, idp.issuer],
    });
  });

  app.get<{ Params: { id: string } }>('/idps/:id', async (request) => presentIdp(await deps.idps.get(request.params.id), baseUrl(request)));

  app.post('/idps', async (request, reply) => {
    const body = validate(createBody, request.body);
    const input: IdpInput = { name: body.name, issuer: body.issuer, clientId: body.client_id, ...toInput(body) };
    return reply.code(201).send(presentIdp(await deps.idps.create(input), baseUrl(request)));
  });

  app.patch<{ Params: { id: string } }>('/idps/:id', async (request) => {
    const body = validate(updateBody, request.body);
    return presentIdp(await deps.idps.update(request.params.id, toInput(body)), baseUrl(request));
  });

  app.delete<{ Params: { id: string } }>('/idps/:id', async (request, reply) => {
    await deps.idps.delete(request.params.id);
    return reply.code(204).send();
  });
}
