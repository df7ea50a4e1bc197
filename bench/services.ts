/** Pre-flight checks, and starting the mock upstream and the gateway under test. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { JsonLines, freePort, pinned, tail, track } from './children.js';
import { ADMIN_PASSWORD, CLI, GATEWAY_CPU, GATEWAY_ENV, HERE, LOAD_CPU, MOCK_KEY, NICE, ROOT } from './settings.js';

export function preflight(): void {
  if (process.platform !== 'linux' || !existsSync('/proc/self/status')) throw new Error('the bench reads /proc and pins cores with taskset: it runs on Linux only');
  const probe = spawnSync('taskset', ['-c', String(LOAD_CPU), 'true']);
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `taskset is missing or cannot pin to core ${LOAD_CPU} (${probe.error?.message ?? probe.stderr.toString().trim()}); install util-linux, or set BENCH_GATEWAY_CPU/BENCH_LOAD_CPU`,
    );
  }
  const affinity = spawnSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' }).stdout;
  const allowed = new Set<number>();
  for (const range of (/list:\s*(.*)$/m.exec(affinity)?.[1] ?? '').split(',')) {
    const [from, to] = range.trim().split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    for (let cpu = from; cpu <= (to ?? from); cpu++) allowed.add(cpu);
  }
  for (const cpu of [GATEWAY_CPU, LOAD_CPU]) {
    if (allowed.size > 0 && !allowed.has(cpu)) throw new Error(`core ${cpu} is not available to this process (allowed: ${[...allowed].join(',')})`);
  }
  if (NICE !== 0) {
    const niced = spawnSync('nice', ['-n', String(NICE), 'true'], { encoding: 'utf8' });
    if (niced.error || niced.status !== 0 || niced.stderr.trim()) throw new Error(`BENCH_NICE=${NICE}: cannot set that priority (${niced.error?.message ?? niced.stderr.trim()})`);
  }
  if (GATEWAY_CPU === LOAD_CPU) process.stderr.write('bench: warning: the gateway and the load share one core; the figures will be pessimistic\n');
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`tsc -p tsconfig.json\` first (npm run bench does)`);
  // Keep this orchestrator off the gateway's core too.
  spawnSync('taskset', ['-a', '-c', '-p', String(LOAD_CPU), String(process.pid)]);
}

// ---------------------------------------------------------------------------------------------
// The mock upstream and the gateway

export interface Mock {
  url: string;
  apiKey: string;
  pid: number;
  child: ChildProcess;
  lines: JsonLines;
  stats(): Promise<{ seen: number; abandoned: number }>;
}

export async function startMock(): Promise<Mock> {
  const err = { text: '' };
  const [command, args] = pinned(LOAD_CPU, [process.execPath, join(HERE, 'mock-server.js')]);
  const child = track(spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, BENCH_MOCK_KEY: MOCK_KEY } }));
  tail(err, child, 'stderr');
  const lines = new JsonLines(child, 'the mock upstream', () => err.text);
  const ready = await lines.next<{ url: string; apiKey: string; pid: number }>(15_000);
  return {
    ...ready,
    child,
    lines,
    async stats() {
      child.stdin!.write('stats\n');
      return lines.next<{ seen: number; abandoned: number }>(10_000);
    },
  };
}

export interface Gateway {
  url: string;
  pid: number;
  child: ChildProcess;
  dataDir: string;
  output: { text: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `env`: settings on top of the defaults and BENCH_GATEWAY_ENV (the governed gateway's database, Redis and limits). */
export async function startGateway(mock: Mock, workDir: string, profileDir: string | undefined, env: Record<string, string> = {}, readyTimeoutMs = 30_000): Promise<Gateway> {
  const port = await freePort();
  const dataDir = join(workDir, 'data');
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const [command, args] = pinned(GATEWAY_CPU, [process.execPath, ...nodeArgs, CLI, 'serve']);
  const child = track(
    spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? workDir,
        CCAG_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_PASSWORD,
        ANTHROPIC_API_KEY: mock.apiKey,
        ANTHROPIC_UPSTREAM_URL: mock.url,
        LOG_LEVEL: 'warn',
        // The mock upstream listens on loopback, which the outbound guard refuses by default.
        CCAG_OUTBOUND_ALLOW_PRIVATE: '127.0.0.0/8',
        ...GATEWAY_ENV,
        ...env,
      },
    }),
  );
  const output = { text: '' };
  tail(output, child, 'stdout');
  tail(output, child, 'stderr');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  let running = true;
  void exited.then(() => (running = false));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (running && Date.now() < deadline) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return { url, pid: child.pid!, child, dataDir, output, exited };
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`ccag serve did not answer /health within ${readyTimeoutMs / 1000} s${running ? '' : ' (it exited)'}:\n${output.text}`);
}

export async function json<T>(response: Response, what: string, expected: number): Promise<T> {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** An admin session token for the bench gateway's bootstrap admin. */
export async function adminToken(gatewayUrl: string): Promise<string> {
  const login = await json<{ token: string }>(
    await fetch(`${gatewayUrl}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    }),
    'admin login',
    200,
  );
  return login.token;
}

export async function createVirtualKey(gatewayUrl: string): Promise<string> {
  const token = await adminToken(gatewayUrl);
  const created = await json<{ key: string }>(
    await fetch(`${gatewayUrl}/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ user_email: 'bench@example.com', name: 'bench' }),
    }),
    'key creation',
    201,
  );
  return created.key;
}

/** One request by hand, so a broken set-up fails loudly instead of as 100% non-2xx. */
export async function smokeTest(url: string, headers: Record<string, string>, body: string, what: string): Promise<void> {
  const response = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('event: message_stop')) {
    throw new Error(`${what}: a streaming request failed: HTTP ${response.status} ${text.slice(0, 500)}`);
  }
}

/**
 * The bare-proxy reference (bench/reference/bare-proxy.mjs) on the gateway's core: what a Node
 * pass-through with no keys, ledger or metrics costs on this machine, measured in the same run,
 * so every gateway figure can be read as a ratio to it.
 */
export async function startBareProxy(mock: Mock): Promise<Gateway> {
  const port = await freePort();
  const [command, args] = pinned(GATEWAY_CPU, [process.execPath, join(ROOT, 'bench', 'reference', 'bare-proxy.mjs')]);
  const child = track(spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', UPSTREAM: mock.url, API_KEY: mock.apiKey, PORT: String(port) } }));
  const output = { text: '' };
  tail(output, child, 'stdout');
  tail(output, child, 'stderr');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (child.exitCode === null && Date.now() < deadline) {
    // A connection, not a request: a request would reach the mock and upset its count.
    const listening = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), done(true)));
      socket.on('error', () => done(false));
    });
    if (listening) return { url, pid: child.pid!, child, dataDir: '', output, exited };
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the bare proxy did not start within 15 s:\n${output.text}`);
}
