/**
 * Every route an app registered, as "METHOD /path" lines, read from Fastify's own route tree
 * (`printRoutes`), so a test that walks them cannot miss a route added later. HEAD routes that
 * Fastify derives from a GET are left out; a route registered only for HEAD is kept.
 */
import type { FastifyInstance } from 'fastify';

const LINE = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/;

export function listRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  // The tree prints each node's path relative to its parent's; a stack holds the prefixes.
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const segment = match[2]!;
    const parent = depth === 0 ? '' : prefixes[depth - 1]!;
    const path = depth === 1 && parent === '/' ? `/${segment}` : parent + segment;
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    const methods = match[3]?.split(', ') ?? [];
    for (const method of methods) {
      if (method === 'HEAD' && methods.includes('GET')) continue;
      routes.push(`${method} ${path}`);
    }
  }
  return routes.sort();
}
