import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ScimStatus } from '../identity/scim/scim-admin.service.js';
import type { ScimTokenRow } from '../identity/scim/scim-tokens.repo.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';
import { publicBaseOf } from '../identity/public-url.js';
import { iso, isoOrNull } from './wire-format.js';

const adminGroupsBody = z.object({ groups: z.array(z.string().trim().min(1).max(200)).max(100) }).strict();

/** Body of PUT /admin/idps/:idp/scim/admin-groups (shared with the CLI). */
export type ScimAdminGroupsBody = z.input<typeof adminGroupsBody>;


/** A token as listed: never its hash, only the prefix people recognise it by. */
function presentToken(token: ScimTokenRow) {
  return { id: token.id, prefix: token.prefix, created_at: iso(token.created_at), last_used_at: isoOrNull(token.last_used_at), revoked_at: isoOrNull(token.revoked_at) };
}

function presentStatus(status: ScimStatus, baseUrl: string) {
  return {
    idp: status.idp.name,
    enabled: status.idp.scimEnabled,
    base_url: `${baseUrl}/scim/v2`,
    tokens: status.tokens.map(presentToken),
    admin_groups: status.idp.adminGroups,
    group_teams: status.idp.groupTeams,
    users_provisioned: status.usersProvisioned,
    groups: status.groups,
  };
}

/** SCIM settings of one IdP as the admin API shows them (shared with the CLI). */
export type ScimStatusView = ReturnType<typeof presentStatus>;
/** The creation answer: the only time the full token is returned. */
export type CreatedScimTokenView = ReturnType<typeof presentToken> & { token: string; base_url: string };

type IdpRequest = FastifyRequest<{ Params: { idp: string } }>;

export function registerScimAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const baseUrl = (request: FastifyRequest) => publicBaseOf(request, deps.publicUrl);
  const status = async (request: IdpRequest) => presentStatus(await deps.scim.status(request.params.idp), baseUrl(request));

  app.get('/idps/:idp/scim', status);

  app.post('/idps/:idp/scim/enable', async (request: IdpRequest) => {
    await deps.scim.setEnabled(request.params.idp, true);
    return status(request);
  });

  app.post('/idps/:idp/scim/disable', async (request: IdpRequest) => {
    await deps.scim.setEnabled(request.params.idp, false);
    return status(request);
  });

  app.post('/idps/:idp/scim/tokens', async (request: IdpRequest, reply) => {
    const created = await deps.scim.createToken(request.params.idp);
    const view: CreatedScimTokenView = { ...presentToken(created.row), token: created.token, base_url: `${baseUrl(request)}/scim/v2` };
    return reply.code(201).send(view);
  });

  app.delete('/idps/:idp/scim/tokens/:id', async (request: FastifyRequest<{ Params: { idp: string; id: string } }>, reply) => {
    await deps.scim.revokeToken(request.params.idp, request.params.id);
    return reply.code(204).send();
  });

  app.put('/idps/:idp/scim/admin-groups', async (request: IdpRequest) => {
    const body = validate(adminGroupsBody, request.body);
    await deps.scim.setAdminGroups(request.params.idp, body.groups, request.log);
    return status(request);
  });
}
