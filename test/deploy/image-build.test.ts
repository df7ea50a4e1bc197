/**
 * The image recipe's build, replayed without a container engine (none runs on the test machines):
 * from a clean copy of the repository (`git archive` of its tracked files, less what .dockerignore leaves out),
 * each stage of deploy/Dockerfile gets a directory standing for its filesystem, and its COPY and
 * RUN instructions, read from the Dockerfile itself, run there in order. The final stage's
 * directory then holds only what the image would: production dependencies, dist/ with the portal,
 * package.json. The gateway is started from it and must answer /health, serve the portal and
 * drain on SIGTERM.
 *
 * Deliberately slow: two `npm ci`, each building better-sqlite3 from source (its prebuilt binary
 * is not downloadable here), then tsc and Vite. Measured on the shared two-core machines: 8 min
 * (npm ci 290 s, tsc 58 s, portal 6 s, production npm ci 92 s) at a load average of 5, and about
 * 30 min at a load average of 20. npm prefers its cache, so the locked tarballs come from it when
 * it has them.
 */
import { execFileSync, execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../support/serve-process.js';
import { parseDockerfile, type Stage } from './dockerfile-parser.js';

/** RUN steps not replayed, each with why; any other RUN step is replayed, and a new one is caught here. */
const NOT_REPLAYED: Record<string, RegExp> = {
  // The system packages better-sqlite3's fallback build needs; this machine has them (asserted below).
  toolchain: /^apt-get update && apt-get install -y --no-install-recommends python3 make g\+\+ && rm -rf \/var\/lib\/apt\/lists\/\*$/,
  // Creates the volume's mount point outside /app, as the image's user; dockerfile.test.ts checks it.
  runtime: /^mkdir -p \/var\/lib\/ccag && chown node:node \/var\/lib\/ccag$/,
};

interface Step {
  stage: string;
  command: string;
  seconds: number;
}

const work = mkdtempSync(join(tmpdir(), 'ccag-image-build-'));
const context = join(work, 'context');
const steps: Step[] = [];
let stages: Stage[];

/** A stage's filesystem root; the container path `path` (absolute, or relative to `cwd`) inside it. */
const root = (stage: string) => join(work, 'stages', stage);
const inStage = (stage: string, cwd: string, path: string) => join(root(stage), isAbsolute(path) ? path : join(cwd, path));

function cleanCopyOfTheRepository(): void {
  mkdirSync(context, { recursive: true });
  // The tracked files as they are in the working tree, uncommitted edits included (`git stash
  // create` only writes a commit object; it changes neither the index nor the files).
  const tree = execSync('git stash create', { encoding: 'utf8' }).trim() || 'HEAD';
  execSync(`git archive ${tree} | tar -x -C ${JSON.stringify(context)}`);
  // The plain names of .dockerignore (the globs only match files the COPY lines never name).
  for (const line of readFileSync(join(context, '.dockerignore'), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#') || /[*?[]/.test(line)) continue;
    rmSync(join(context, line), { recursive: true, force: true });
  }
}

function copy(stage: Stage, cwd: string, args: string): void {
  const from = /^--from=(\S+) /.exec(args)?.[1];
  const paths = args.replace(/^--from=\S+ /, '').split(' ');
  const destination = paths.pop()!;
  for (const source of paths) {
    const sourcePath = from ? join(root(from), source) : join(context, source);
    const target = inStage(stage.name, cwd, destination);
    // A directory destination ("./", or several sources) receives each source by its name.
    const into = destination.endsWith('/') || paths.length > 1 ? join(target, source.split('/').at(-1)!) : target;
    mkdirSync(dirname(into), { recursive: true });
    cpSync(sourcePath, into, { recursive: true, verbatimSymlinks: true });
  }
}

/**
 * A build's environment: this process's, less what `npx vitest` adds (npm_config_local_prefix and
 * the like name this checkout, and a build must not see it), with npm preferring its cache.
 */
const buildEnvironment: Record<string, string> = {
  ...Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(npm_|INIT_CWD$)/.test(entry[0]))),
  npm_config_prefer_offline: 'true',
  npm_config_update_notifier: 'false',
};

/** Each replayed stage's WORKDIR and ENV at its end, which a stage built FROM it starts with. */
const inherited = new Map<string, { cwd: string; env: Record<string, string> }>();

function replay(stage: Stage): void {
  const parent = stages.find((s) => s.name === stage.base);
  mkdirSync(root(stage.name), { recursive: true });
  if (parent) cpSync(root(parent.name), root(stage.name), { recursive: true, verbatimSymlinks: true });
  let cwd = inherited.get(stage.base)?.cwd ?? '/';
  const env: Record<string, string> = { ...inherited.get(stage.base)?.env };
  for (const { op, args } of stage.instructions) {
    if (op === 'WORKDIR') {
      cwd = args;
      mkdirSync(inStage(stage.name, cwd, '.'), { recursive: true });
    } else if (op === 'ENV') for (const [, name, value] of args.matchAll(/(\w+)=(\S+)/g)) env[name!] = value!;
    else if (op === 'COPY') copy(stage, cwd, args);
    else if (op === 'RUN') {
      if (NOT_REPLAYED[stage.name]?.test(args)) continue;
      const started = Date.now();
      execSync(args, {
        cwd: inStage(stage.name, cwd, '.'),
        env: { ...buildEnvironment, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      steps.push({ stage: stage.name, command: args, seconds: (Date.now() - started) / 1000 });
      process.stderr.write(`image build: [${stage.name}] ${args}: ${steps.at(-1)!.seconds.toFixed(1)} s\n`);
    }
  }
  inherited.set(stage.name, { cwd, env });
}

beforeAll(() => {
  stages = parseDockerfile();
  cleanCopyOfTheRepository();
  for (const stage of stages) replay(stage);
  console.log(['image build replayed:', ...steps.map((s) => `  ${s.seconds.toFixed(1).padStart(6)} s  [${s.stage}] ${s.command}`)].join('\n'));
  // Measured: 8 minutes at a load average of 5, about 30 at a load average of 20.
}, 60 * 60_000);

// About 1.4 GB of files.
afterAll(() => rmSync(work, { recursive: true, force: true }), 10 * 60_000);

describe('deploy/Dockerfile, replayed from a clean copy of the repository', () => {
  it('runs every RUN step but the two it names, on a machine with the toolchain the skipped one installs', () => {
    const all = stages.flatMap((s) => s.instructions.filter((i) => i.op === 'RUN').map((i) => ({ stage: s.name, command: i.args })));
    const skipped = all.filter((r) => NOT_REPLAYED[r.stage]?.test(r.command));
    expect(skipped.map((s) => s.stage)).toEqual(Object.keys(NOT_REPLAYED));
    expect(steps.map((s) => s.command)).toEqual(all.filter((r) => !skipped.includes(r)).map((r) => r.command));
    for (const tool of ['python3', 'make', 'g++']) expect(() => execFileSync('which', [tool])).not.toThrow();
  });

  it('leaves in the final stage only production dependencies, the built gateway and portal, and package.json', () => {
    const app = join(root(stages.at(-1)!.name), 'app');
    expect(readdirSync(app).sort()).toEqual(['ccag', 'dist', 'node_modules', 'package.json']);
    expect(existsSync(join(app, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(app, 'dist', 'portal', 'index.html'))).toBe(true);
    const lock = JSON.parse(readFileSync(join(context, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
    const installed = (name: string) => existsSync(join(app, name, 'package.json'));
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === '' || path.includes('/node_modules/node_modules/')) continue;
      if (entry.dev) expect(installed(path), path).toBe(false);
    }
    for (const name of ['fastify', 'better-sqlite3', 'pg', 'ioredis']) expect(installed(join('node_modules', name)), name).toBe(true);
    expect(installed('node_modules/@anthropic-ai/claude-code-linux-x64')).toBe(false);
  });

  it('starts the gateway from the final stage: /health answers, the portal is served, SIGTERM drains and exits 0', async () => {
    const app = join(root(stages.at(-1)!.name), 'app');
    const data = join(work, 'data');
    const gateway = await startServe({ CCAG_DATA_DIR: data, ADMIN_PASSWORD: 'image-build-password', LOG_LEVEL: 'warn', NODE_ENV: 'production' }, [], join(app, 'dist', 'cli', 'main.js'));
    try {
      expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
      const portal = await fetch(`${gateway.url}/portal/`);
      expect(portal.status).toBe(200);
      expect(await portal.text()).toContain('<div id="root">');
    } finally {
      gateway.child.kill('SIGTERM');
    }
    expect(await gateway.exited).toBe(0);
  }, 60_000);
});
