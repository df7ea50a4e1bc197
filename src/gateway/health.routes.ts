/**
 * Liveness and readiness. `HEAD /` (and `HEAD /api/hello`) is what Claude Code probes first; `/health` never touches a
 * dependency; `/health/deep` checks the database and every live endpoint, cached briefly so a
 * tight probe loop cannot hammer the upstreams.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from './deps.js';

const DEEP_CACHE_MS = 5_000;

interface DeepReport {
  status: 'ok' | 'degraded' | 'down';
  database: { ok: boolean; error?: string };
  endpoints: Array<{ id: string; name: string; kind: string; ok: boolean; error?: string }>;
}

async function probe(run: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message.slice(0, 300) };
  }
}

export function registerHealthRoutes(app: FastifyInstance, deps: GatewayDeps): void {
  let cached: { at: number; report: DeepReport } | undefined;

  app.head('/', async (_request, reply) => reply.code(200).send());
  // Claude Code's other connectivity probe.
  app.head('/api/hello', async (_request, reply) => reply.code(200).send());
  // A person who opens the gateway's address in a browser lands in the portal; clients get JSON.
  app.get('/', async (request, reply) =>
    request.headers.accept?.includes('text/html') ? reply.redirect('/portal/', 302) : { name: 'ccag', status: 'ok' },
  );
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/health/deep', async (_request, reply) => {
    if (!cached || Date.now() - cached.at > DEEP_CACHE_MS) {
      const database = await probe(() => deps.store.ping());
      const endpoints = await Promise.all(
        deps.endpoints().map(async (e) => ({ id: e.id, name: e.name, kind: e.kind, ...(await probe(() => e.upstream.checkHealth(AbortSignal.timeout(5_000)))) })),
      );
      const healthyEndpoint = endpoints.some((e) => e.ok);
      const status = !database.ok || !healthyEndpoint ? 'down' : endpoints.every((e) => e.ok) ? 'ok' : 'degraded';
      cached = { at: Date.now(), report: { status, database, endpoints } };
    }
    return reply.code(cached.report.status === 'down' ? 503 : 200).send(cached.report);
  });
}
