/**
 * Which requests announce a change to the other replicas: successful writes on the control plane
 * (admin API and portal, SCIM, sign-in, device flow and revocation), in whatever plugin they are
 * registered, and the OIDC callback; never reads, failures, unknown routes or the data plane.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { announceWrites } from '../../src/store/announce-writes.js';

describe('announceWrites', () => {
  let app: FastifyInstance;
  let announced = 0;

  beforeAll(async () => {
    app = Fastify();
    announceWrites(app, { announce: () => void (announced += 1) });
    // Routes in encapsulated plugins, as the real ones are: the root hook must still see them.
    await app.register(
      async (admin) => {
        admin.post('/keys/:id/revoke', async () => ({ status: 'revoked' }));
        admin.post('/keys', async (_request, reply) => reply.code(400).send({ error: 'invalid_request' }));
        admin.get('/keys', async () => ({ data: [] }));
      },
      { prefix: '/admin' },
    );
    await app.register(async (scim) => void scim.delete('/Users/:id', async (_request, reply) => reply.code(204).send()), { prefix: '/scim/v2' });
    await app.register(async (auth) => {
      auth.get('/auth/oidc/callback', async (_request, reply) => reply.redirect('/portal/', 302));
      auth.get('/auth/providers', async () => []);
      auth.post('/oauth/revoke', async () => ({}));
    });
    await app.register(async (gateway) => void gateway.post('/v1/messages', async () => ({ type: 'message' })));
  });
  afterAll(() => app.close());

  const cases: Array<[string, string, boolean]> = [
    ['POST', '/admin/keys/k1/revoke', true],
    ['DELETE', '/scim/v2/Users/u1', true],
    ['POST', '/oauth/revoke', true],
    ['GET', '/auth/oidc/callback?code=c&state=s', true],
    ['POST', '/admin/keys', false],
    ['GET', '/admin/keys', false],
    ['GET', '/auth/providers', false],
    ['POST', '/v1/messages', false],
    ['POST', '/admin/no-such-route', false],
  ];
  test.each(cases)('%s %s announces: %s', async (method, url, announces) => {
    const before = announced;
    await app.inject({ method: method as 'GET', url });
    expect(announced - before).toBe(announces ? 1 : 0);
  });
});
