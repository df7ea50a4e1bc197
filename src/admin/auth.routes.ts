import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminDeps } from './plugin.js';
import { bearerOf } from '../identity/authenticator.js';
import { validate } from './validate.js';

const loginBody = z.object({ username: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

export function registerAuthRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.post('/login', { config: { public: true } }, async (request) => {
    const { username, password } = validate(loginBody, request.body);
    const { token, user } = await deps.sessions.login(username, password, request.ip);
    return {
      token,
      expires_at: new Date(user.expiresAt).toISOString(),
      user: { id: user.userId, email: user.email, role: user.role },
    };
  });

  app.post('/logout', { config: { access: 'member' } }, async (request, reply) => {
    const token = bearerOf(request.headers);
    if (token) await deps.sessions.logout(token);
    return reply.code(204).send();
  });

  app.get('/me', { config: { access: 'member' } }, async (request) => {
    const user = request.adminUser!;
    return { id: user.userId, email: user.email, role: user.role, expires_at: user.expiresAt === null ? null : new Date(user.expiresAt).toISOString() };
  });
}
