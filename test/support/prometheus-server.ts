/**
 * The real Prometheus server (Debian's `prometheus` package) for tests: a temporary
 * configuration and TSDB, a random port on 127.0.0.1, and its HTTP API. `.ci/run` installs the
 * package; elsewhere a test may skip when the binary is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './serve-process.js';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const PROMTOOL_BIN = '/usr/bin/promtool';

export const prometheusInstalled = () => existsSync(PROMETHEUS_BIN);

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromRule {
  name: string;
  type: 'alerting' | 'recording';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
}

export interface PrometheusServer {
  url: string;
  /** An instant query; resolves with the API's error text or the result vector. */
  query(expr: string): Promise<{ error: string } | { result: PromSample[] }>;
  rules(): Promise<PromRule[]>;
  /** Waits until every target has been scraped successfully at least `count` times since now. */
  waitForScrapes(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts Prometheus with `config` (a prometheus.yml as an object) written beside `files` (name →
 * content, e.g. rule files and the bearer token file the config refers to by relative path).
 */
export async function startPrometheus(config: Record<string, unknown>, files: Record<string, string> = {}): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ccag-prometheus-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=1h'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const api = async <T>(path: string): Promise<{ status: string; data: T; error?: string }> => (await fetch(`${url}${path}`)).json() as Promise<{ status: string; data: T; error?: string }>;
  const close = async () => {
    if (running) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  while (!(await fetch(`${url}/-/ready`).then((r) => r.ok, () => false))) {
    if (!running || Date.now() > deadline) {
      await close();
      throw new Error(`prometheus did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    async query(expr) {
      const answer = await api<{ resultType: string; result: PromSample[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      if (answer.status !== 'success') return { error: answer.error ?? 'unknown error' };
      return { result: answer.data.result };
    },
    async rules() {
      const answer = await api<{ groups: { rules: PromRule[] }[] }>('/api/v1/rules');
      return answer.data.groups.flatMap((group) => group.rules);
    },
    async waitForScrapes(count) {
      type Target = { health: string; lastScrape: string; lastError: string; scrapeUrl: string };
      const since = Date.now();
      // Polled faster than the scrape interval, so each scrape shows up as a new lastScrape time.
      const scrapes = new Set<string>();
      const until = Date.now() + 60_000;
      for (;;) {
        const { data } = await api<{ activeTargets: Target[] }>('/api/v1/targets');
        for (const t of data.activeTargets) if (t.health === 'up' && Date.parse(t.lastScrape) > since) scrapes.add(`${t.scrapeUrl} ${t.lastScrape}`);
        const scrapedOf = (t: Target) => [...scrapes].filter((s) => s.startsWith(`${t.scrapeUrl} `)).length;
        if (data.activeTargets.length > 0 && data.activeTargets.every((t) => scrapedOf(t) >= count)) return;
        if (Date.now() > until) throw new Error(`targets not scraped ${count} times: ${JSON.stringify(data.activeTargets.map((t) => [t.scrapeUrl, t.health, t.lastError]))}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    close,
  };
}

/** `promtool check rules <file>`: its exit status and output. */
export function promtoolCheckRules(file: string): { status: number | null; output: string } {
  const result = spawnSync(PROMTOOL_BIN, ['check', 'rules', file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
