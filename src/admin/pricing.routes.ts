import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const price = z.number().min(0).max(100_000).nullable();

const setBody = z
  .object({
    input: price,
    output: price,
    cache_read: price.optional(),
    cache_write_5m: price.optional(),
    cache_write_1h: price.optional(),
    tier_threshold: z.number().int().positive().nullable().optional(),
    tier_input: price.optional(),
    tier_output: price.optional(),
    tier_cache_read: price.optional(),
    tier_cache_write_5m: price.optional(),
    tier_cache_write_1h: price.optional(),
    note: z.string().max(500).nullable().optional(),
  })
  .strict();

export function registerPricingRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/pricing', async () => ({ data: await deps.pricing.list() }));

  app.put<{ Params: { prefix: string } }>('/pricing/:prefix', async (request) => {
    const body = validate(setBody, request.body);
    const prefix = validate(z.string().trim().min(1).max(200), request.params.prefix);
    return deps.pricing.set(prefix, body);
  });
}
