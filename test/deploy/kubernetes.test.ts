/**
 * The Helm chart and the plain manifests rendered from it. No helm binary runs on the test
 * machines, so deploy/kubernetes/ was written by hand as `helm template` would render the default
 * values; these tests keep it honest: every rendered object is valid against the Kubernetes
 * OpenAPI schemas (kubernetes-models), every figure in it equals values.yaml, the chart's templates
 * produce the same kinds and names and reference only values that exist, and every environment
 * variable is one the gateway reads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ENV_NAMES } from '../../src/config/settings.js';

const CHART = join('deploy', 'helm', 'ccag');
const RENDERED = join('deploy', 'kubernetes');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

function documents(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
}

const rendered = readdirSync(RENDERED)
  .filter((name) => name.endsWith('.yaml'))
  .flatMap((name) => documents(join(RENDERED, name)));
interface Probe {
  path: string;
  periodSeconds: number;
  timeoutSeconds?: number;
  failureThreshold: number;
}

/** The parts of values.yaml the rendering used. */
interface ChartValues {
  image: { repository: string; tag: string; pullPolicy: string };
  containerPort: number;
  service: { type: string; port: number };
  existingSecret: string;
  secretEnv: Record<string, { key: string; optional?: boolean }>;
  env: Record<string, string>;
  resources: Record<string, Record<string, string>>;
  probes: Record<'liveness' | 'readiness' | 'startup', Probe>;
  terminationGracePeriodSeconds: number;
  preStopSleepSeconds: number;
  dataVolume: { sizeLimit: string };
  autoscaling: { enabled: boolean; minReplicas: number; maxReplicas: number; targetCPUUtilizationPercentage: number };
  podDisruptionBudget: { enabled: boolean; minAvailable: number };
  serviceMonitor: { enabled: boolean; interval: string; tokenKey: string };
  podSecurityContext: Record<string, unknown>;
  securityContext: Record<string, unknown>;
}

const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as ChartValues;
const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { name: string; version: string; appVersion: string };
const templates = Object.fromEntries(
  readdirSync(join(CHART, 'templates'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => [name, readFileSync(join(CHART, 'templates', name), 'utf8')]),
);

function one(kind: string): Manifest {
  const found = rendered.filter((m) => m.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
}

/** The rendered object of `kind` as a kubernetes-models object: typed, and able to validate itself. */
function model<T>(Model: new (data: never) => T, kind: string): T {
  return new Model(one(kind) as never);
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = { Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget };
const deployment = () => model(Deployment, 'Deployment');
const pod = () => deployment().spec!.template.spec!;
const container = () => pod().containers[0]!;
const service = () => model(Service, 'Service').spec!;
const hpa = () => model(HorizontalPodAutoscaler, 'HorizontalPodAutoscaler').spec!;
const pdb = () => model(PodDisruptionBudget, 'PodDisruptionBudget').spec!;

/** `.Values.a.b` paths a template reads. */
function valuePaths(template: string): string[] {
  return [...template.matchAll(/\.Values((?:\.[A-Za-z0-9_]+)+)/g)].map((m) => m[1]!.slice(1));
}

function lookup(root: object, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

describe('deploy/kubernetes (rendered manifests)', () => {
  it('are valid against the Kubernetes OpenAPI schemas', () => {
    expect(rendered.map((m) => m.kind).sort()).toEqual(Object.keys(MODELS).sort());
    for (const [kind, Model] of Object.entries(MODELS)) expect(() => model(Model, kind).validate(), kind).not.toThrow();
  });

  it('a manifest with a wrong field type fails that validation (the check can fail)', () => {
    const broken = deployment();
    (broken.spec!.template.spec!.containers[0]!.ports![0] as { containerPort: unknown }).containerPort = 'eighty';
    expect(() => broken.validate()).toThrow();
  });

  it('use the names and labels the chart gives release "ccag"', () => {
    for (const manifest of rendered) {
      expect(manifest.metadata.name).toBe('ccag');
      expect(manifest.metadata.labels).toEqual({
        'helm.sh/chart': `${chart.name}-${chart.version}`,
        'app.kubernetes.io/name': chart.name,
        'app.kubernetes.io/instance': 'ccag',
        'app.kubernetes.io/version': chart.appVersion,
        'app.kubernetes.io/managed-by': 'Helm',
      });
    }
    const selector = { 'app.kubernetes.io/name': 'ccag', 'app.kubernetes.io/instance': 'ccag' };
    expect(service().selector).toEqual(selector);
    expect(pdb().selector?.matchLabels).toEqual(selector);
    expect(deployment().spec!.template.metadata?.labels).toEqual(selector);
    expect(hpa().scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ccag' });
  });

  it('carry the figures of values.yaml', () => {
    const c = container();
    expect(c.image).toBe(`${values.image.repository}:${values.image.tag}`);
    expect(c.resources).toEqual(values.resources);
    expect(c.ports).toEqual([{ name: 'http', containerPort: values.containerPort, protocol: 'TCP' }]);
    for (const [probe, key] of [['livenessProbe', 'liveness'], ['readinessProbe', 'readiness'], ['startupProbe', 'startup']] as const) {
      const { path, ...timing } = values.probes[key];
      expect(c[probe], probe).toEqual({ httpGet: { path, port: 'http' }, ...timing });
    }
    expect(c.livenessProbe?.httpGet?.path).toBe('/health');
    expect(c.readinessProbe?.httpGet?.path).toBe('/health/deep');
    expect(c.lifecycle?.preStop?.exec?.command).toEqual(['sleep', String(values.preStopSleepSeconds)]);
    expect(c.securityContext).toEqual(values.securityContext);
    expect(pod().securityContext).toEqual(values.podSecurityContext);
    expect(pod().terminationGracePeriodSeconds).toBe(values.terminationGracePeriodSeconds);
    expect(pod().volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: values.dataVolume.sizeLimit } });
    // With autoscaling on, the HPA owns the replica count.
    expect(values.autoscaling.enabled).toBe(true);
    expect(deployment().spec!.replicas).toBeUndefined();
    expect([hpa().minReplicas, hpa().maxReplicas]).toEqual([values.autoscaling.minReplicas, values.autoscaling.maxReplicas]);
    expect(hpa().metrics?.[0]?.resource?.target.averageUtilization).toBe(values.autoscaling.targetCPUUtilizationPercentage);
    expect(pdb().minAvailable).toBe(values.podDisruptionBudget.minAvailable);
    expect(service().ports).toEqual([{ name: 'http', port: values.service.port, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('take the environment from values.yaml: plain values, then secrets by reference, each in key order', () => {
    const expected = [
      { name: 'PORT', value: String(values.containerPort) },
      ...Object.keys(values.env).sort().map((name) => ({ name, value: String(values.env[name]) })),
      ...Object.entries(values.secretEnv)
        .sort(([a], [b]) => (a < b ? -1 : 1)) // Go's byte order, as Helm ranges a map
        .map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: values.existingSecret, key: ref.key, optional: ref.optional ?? false } } })),
    ];
    expect(container().env).toEqual(expected);
    for (const required of ['DATABASE_URL', 'REDIS_URL', 'CCAG_MASTER_KEY']) expect(values.secretEnv[required]?.optional ?? false, required).toBe(false);
  });

  it('set only environment variables the gateway reads (or Node does)', () => {
    const known = new Set([...Object.values(ENV_NAMES), 'NODE_OPTIONS']);
    for (const { name } of container().env ?? []) expect(known.has(name), name).toBe(true);
  });

  it('give the shutdown drain time before the pod is killed', () => {
    const graceMs = Number(values.env.CCAG_SHUTDOWN_GRACE_MS ?? 30_000);
    expect(values.terminationGracePeriodSeconds).toBeGreaterThan(graceMs / 1000 + values.preStopSleepSeconds);
  });
});

describe('deploy/helm/ccag (the chart)', () => {
  it('renders the same kinds and names as deploy/kubernetes, plus the optional ServiceMonitor', () => {
    const kinds = Object.values(templates).map((t) => /^kind: (\S+)$/m.exec(t)?.[1]).sort();
    expect(kinds).toEqual([...rendered.map((m) => m.kind), 'ServiceMonitor'].sort());
    for (const [name, template] of Object.entries(templates)) expect(template, name).toContain('name: {{ include "ccag.fullname" . }}');
  });

  it('guards the optional objects with the values flags the rendering assumed', () => {
    expect(templates['servicemonitor.yaml']).toMatch(/^\{\{- if \.Values\.serviceMonitor\.enabled \}\}/);
    expect(values.serviceMonitor.enabled).toBe(false);
    expect(templates['hpa.yaml']).toMatch(/^\{\{- if \.Values\.autoscaling\.enabled \}\}/);
    expect(templates['pdb.yaml']).toMatch(/^\{\{- if \.Values\.podDisruptionBudget\.enabled \}\}/);
    expect(values.podDisruptionBudget.enabled).toBe(true);
  });

  it('reads only values that values.yaml defines', () => {
    const sources = [...Object.values(templates), readFileSync(join(CHART, 'templates', 'NOTES.txt'), 'utf8')];
    const paths = new Set(sources.flatMap(valuePaths));
    expect(paths.size).toBeGreaterThan(20);
    for (const path of paths) expect(lookup(values, path), `.Values.${path}`).not.toBeUndefined();
  });

  it('probes the gateway on the paths values.yaml names, through the named port', () => {
    const t = templates['deployment.yaml']!;
    for (const key of ['liveness', 'readiness', 'startup']) expect(t).toContain(`path: {{ .Values.probes.${key}.path }}`);
    expect(t.match(/port: http$/gm)).toHaveLength(3);
  });

  it('has an optional ServiceMonitor that scrapes the Service port with the scrape token by reference', () => {
    const [monitor] = documents(join(RENDERED, 'optional', 'servicemonitor.yaml')) as Array<Manifest & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: unknown[] } }>;
    expect(monitor!.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor!.kind).toBe('ServiceMonitor');
    expect(monitor!.metadata.labels).toEqual(one('Service').metadata.labels);
    expect(monitor!.spec.selector.matchLabels).toEqual(service().selector);
    expect(monitor!.spec.endpoints).toEqual([
      {
        port: service().ports![0]!.name,
        path: '/metrics',
        interval: values.serviceMonitor.interval,
        bearerTokenSecret: { name: values.existingSecret, key: values.serviceMonitor.tokenKey },
      },
    ]);
    expect(values.secretEnv.CCAG_METRICS_TOKEN?.key).toBe(values.serviceMonitor.tokenKey);
  });
});
