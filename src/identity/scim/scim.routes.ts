/**
 * The SCIM 2.0 service at /scim/v2 (RFC 7644) as a Fastify plugin of its own: bearer auth with a
 * per-IdP SCIM token, `application/scim+json` in and out, and SCIM-shaped errors. Every resource
 * call acts for the IdP whose token it carries and sees only that IdP's users and groups.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import type { IdentityProvider } from '../sso/idps.service.js';
import type { ScimGroups } from './groups.resource.js';
import type { ListQuery } from './list-query.js';
import { listResponse, resourceTypes, schemas, serviceProviderConfig } from './schemas.js';
import { SCIM_CONTENT_TYPE, ScimError } from './scim-errors.js';
import { fromDatabaseOutage } from '../../http/error-mapping.js';
import { closeIfBodyUnread } from '../../http/surface-errors.js';
import type { ScimTokensService } from './scim-tokens.service.js';
import type { ScimUsers } from './users.resource.js';
import { bearerOf } from '../authenticator.js';
import { publicBaseOf } from '../public-url.js';

export interface ScimDeps {
  readonly tokens: ScimTokensService;
  readonly users: ScimUsers;
  readonly groups: ScimGroups;
  /** CCAG_PUBLIC_URL without a trailing slash, when set; otherwise the request's origin. */
  readonly publicUrl: string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    scimIdp?: IdentityProvider;
  }
}

function toScimError(error: FastifyError | Error): ScimError | undefined {
  if (error instanceof ScimError) return error;
  // The gateway's own refusals (a drain's 503 included), and a database that cannot be reached.
  if (error instanceof ApiError && error.code !== 'internal') return new ScimError(error.status, error.message);
  const outage = fromDatabaseOutage(error);
  if (outage) return new ScimError(outage.status, outage.message);
  const status = (error as FastifyError).statusCode;
  // Body parsing and content-type failures from Fastify itself.
  if (status !== undefined && status < 500) return new ScimError(status, error.message, status === 400 ? 'invalidSyntax' : undefined);
  return undefined;
}

function renderScimError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  closeIfBodyUnread(request, reply);
  const known = toScimError(error);
  if (!known) request.log.error({ err: error }, 'SCIM request failed');
  const rendered = known ?? new ScimError(500, 'Internal error.');
  void reply.code(rendered.status).type(SCIM_CONTENT_TYPE).send(rendered.toBody());
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;
type ListRequest = FastifyRequest<{ Querystring: ListQuery }>;

export async function scimPlugin(app: FastifyInstance, deps: ScimDeps): Promise<void> {
  app.setErrorHandler(renderScimError);
  app.setNotFoundHandler((request) => {
    throw new ScimError(404, `Not found: ${request.method} ${request.url.split('?')[0]}`);
  });
  // IdPs send either type; both are JSON.
  app.addContentTypeParser(SCIM_CONTENT_TYPE, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'ignore'));

  app.addHook('onRequest', async (request) => {
    const token = bearerOf(request.headers);
    const idp = token === undefined ? undefined : await deps.tokens.authenticate(token);
    if (!idp) throw new ScimError(401, 'A valid SCIM bearer token for an identity provider with SCIM enabled is required.');
    request.scimIdp = idp;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type(SCIM_CONTENT_TYPE);
    return payload;
  });

  const baseUrl = (request: FastifyRequest) => `${publicBaseOf(request, deps.publicUrl)}/scim/v2`;
  const idp = (request: FastifyRequest) => request.scimIdp!;

  app.get('/ServiceProviderConfig', async (request) => serviceProviderConfig(baseUrl(request)));
  app.get('/ResourceTypes', async (request) => {
    const types = resourceTypes(baseUrl(request));
    return listResponse(types, types.length, 1);
  });
  app.get('/Schemas', async (request) => {
    const all = schemas(baseUrl(request));
    return listResponse(all, all.length, 1);
  });

  app.get('/Users', async (request: ListRequest) => deps.users.list(idp(request), request.query, baseUrl(request)));
  app.get('/Users/:id', async (request: IdRequest) => deps.users.get(idp(request), request.params.id, baseUrl(request)));
  app.post('/Users', async (request, reply) => reply.code(201).send(await deps.users.create(idp(request), request.body, baseUrl(request))));
  app.put('/Users/:id', async (request: IdRequest) => deps.users.replace(idp(request), request.params.id, request.body, baseUrl(request)));
  app.patch('/Users/:id', async (request: IdRequest) => deps.users.patch(idp(request), request.params.id, request.body, baseUrl(request)));
  app.delete('/Users/:id', async (request: IdRequest, reply) => {
    await deps.users.delete(idp(request), request.params.id);
    return reply.code(204).send();
  });

  app.get('/Groups', async (request: ListRequest) => deps.groups.list(idp(request), request.query, baseUrl(request)));
  app.get('/Groups/:id', async (request: IdRequest) => deps.groups.get(idp(request), request.params.id, baseUrl(request)));
  app.post('/Groups', async (request, reply) => reply.code(201).send(await deps.groups.create(idp(request), request.body, baseUrl(request), request.log)));
  app.put('/Groups/:id', async (request: IdRequest) => deps.groups.replace(idp(request), request.params.id, request.body, baseUrl(request), request.log));
  app.patch('/Groups/:id', async (request: IdRequest) => deps.groups.patch(idp(request), request.params.id, request.body, baseUrl(request), request.log));
  app.delete('/Groups/:id', async (request: IdRequest, reply) => {
    await deps.groups.delete(idp(request), request.params.id, request.log);
    return reply.code(204).send();
  });
}
