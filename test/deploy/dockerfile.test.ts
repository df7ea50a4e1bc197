/**
 * The image recipe's properties that matter in production, read from deploy/Dockerfile itself (no
 * container engine runs on the test machines): a pinned base, only production dependencies and
 * the built gateway and portal in the final image, an unprivileged user, a health check on
 * /health, and Node started directly so SIGTERM reaches the gateway's drain.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../src/config/settings.js';
import { argsOf, parseDockerfile, stage } from './dockerfile-parser.js';

const stages = parseDockerfile();
const runtime = stages.at(-1)!;

describe('deploy/Dockerfile', () => {
  it('pins every base image to an exact Node release (or a digest)', () => {
    const external = stages.filter((s) => !stages.some((other) => other.name === s.base));
    expect(external.length).toBeGreaterThan(0);
    for (const s of external) expect(s.base).toMatch(/^node:\d+\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
    // The release the suite and the benchmarks ran on, and one package.json's engines accept.
    const [major, minor] = /^node:(\d+)\.(\d+)/.exec(runtime.base)!.slice(1).map(Number);
    expect(major! > 20 || (major === 20 && minor! >= 18)).toBe(true);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).engines.node).toBe('>=20.18');
  });

  it('is multi-stage: the final image installs production dependencies only, from the lock file', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const copied = argsOf(runtime, 'COPY');
    const from = (s: string) => copied.filter((c) => c.startsWith(`--from=${s} `));
    expect(from('production-dependencies')).toEqual(['--from=production-dependencies /app/node_modules ./node_modules']);
    // The build's node_modules pruned to production: the native addon is compiled once.
    expect(stage(stages, 'production-dependencies').base).toBe('build');
    expect(argsOf(stage(stages, 'production-dependencies'), 'RUN')).toEqual([expect.stringMatching(/^npm prune --omit=dev\b/)]);
    // The compiled gateway and the portal Vite builds into dist/portal come from the build stage.
    expect(from('build')).toEqual(['--from=build /app/dist ./dist']);
    expect(argsOf(stage(stages, 'build'), 'RUN')).toEqual(['npm ci --no-audit --no-fund', 'npx tsc -p tsconfig.json', 'node scripts/build-portal.mjs']);
    expect(argsOf(runtime, 'RUN').join('\n')).not.toMatch(/npm|apt-get|g\+\+/);
  });

  it('runs as an unprivileged user', () => {
    const users = argsOf(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('checks /health on the port it exposes, which is the gateway default', () => {
    const port = String(settingsSchema.shape.port.parse(undefined));
    expect(argsOf(runtime, 'EXPOSE')).toEqual([port]);
    expect(argsOf(runtime, 'ENV').join(' ')).toContain(`PORT=${port}`);
    const [check] = argsOf(runtime, 'HEALTHCHECK');
    expect(check).toMatch(/--timeout=\d+s/);
    expect(check).toContain("'/health'");
    expect(check).toContain('process.env.PORT || 8080');
  });

  it('starts Node directly in exec form, so the gateway itself receives SIGTERM', () => {
    expect(argsOf(runtime, 'ENTRYPOINT')).toEqual([]);
    expect(argsOf(runtime, 'CMD')).toEqual(['["node", "dist/cli/main.js", "serve"]']);
    expect(argsOf(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    expect(readFileSync('src/cli/serve.ts', 'utf8')).toContain("process.on('SIGTERM'");
  });

  it('keeps the data directory on a volume the unprivileged user owns', () => {
    expect(argsOf(runtime, 'ENV').join(' ')).toContain('CCAG_DATA_DIR=/var/lib/ccag');
    expect(argsOf(runtime, 'VOLUME')).toEqual(['["/var/lib/ccag"]']);
    expect(argsOf(runtime, 'RUN').join(' ')).toContain('chown node:node /var/lib/ccag');
  });

  it('leaves the checkout\'s build output, dependencies and local data out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git', '**/.env']));
  });
});
