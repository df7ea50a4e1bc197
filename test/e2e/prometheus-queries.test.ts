/**
 * The shipped operations files against a real Prometheus (Debian's package): two gateway
 * replicas (one on the mock Anthropic API, one on mock Bedrock) serve scripted traffic; Prometheus
 * runs the shipped deploy/prometheus/prometheus.yml (targets, token file and intervals swapped for
 * the test's) with the shipped alerts.yml; then every query of the Grafana dashboard and every
 * alert expression (without its threshold, so "nothing is wrong" still shows the query works) must
 * evaluate without error and return series. The Bedrock replica has two endpoints, so a throttle
 * there cools the first down and fails over to the second (the endpoint-pool panels and alerts). `promtool check rules` checks the rule file too.
 *
 * In CI (CI=true) a missing /usr/bin/prometheus fails the test; elsewhere the file is skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import { PROMETHEUS_BIN, prometheusInstalled, promtoolCheckRules, startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';

const DEPLOY = join(process.cwd(), 'deploy');
const MODEL = 'claude-sonnet-4-5-20250929';
const SCRAPE_TOKEN = 'prometheus-scrape-token-0123456789';
const mustRun = process.env.CI === 'true';
const installed = prometheusInstalled();
if (!installed && !mustRun) console.warn(`prometheus-queries: skipped, ${PROMETHEUS_BIN} is not installed (apt-get install prometheus; .ci/run does it)`);

interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: { title: string; datasource: { uid: string }; targets: { expr: string; datasource: { uid: string } }[] }[];
}
interface RuleFile {
  groups: { name: string; rules: { alert: string; expr: string }[] }[];
}

const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana', 'ccag-dashboard.json'), 'utf8')) as Dashboard;
const alertsText = readFileSync(join(DEPLOY, 'prometheus', 'alerts.yml'), 'utf8');
const alertRules = (parse(alertsText) as RuleFile).groups.flatMap((group) => group.rules);
const exampleConfig = parse(readFileSync(join(DEPLOY, 'prometheus', 'prometheus.yml'), 'utf8')) as {
  global: Record<string, unknown>;
  rule_files: string[];
  scrape_configs: { job_name: string; authorization: { credentials_file: string }; static_configs: { targets: string[] }[] }[];
};

/** Grafana's built-in variables, as Grafana would fill them in for a short time range. */
function withGrafanaVariables(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '5m');
}

/** An alert condition without its final comparison: the expression it thresholds. */
const THRESHOLD = /\s*(?:==|!=|>=|<=|>|<)\s*-?\d+(?:\.\d+)?\s*$/;
function withoutThreshold(expr: string): string {
  return expr.trim().replace(THRESHOLD, '');
}

function message(gw: TestGateway, key: string, text: string, stream = false): Promise<Response> {
  return fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': key },
    body: JSON.stringify({ model: MODEL, max_tokens: 256, stream, messages: [{ role: 'user', content: text }] }),
  });
}

async function send(response: Promise<Response>, status: number): Promise<void> {
  const answered = await response;
  await answered.text();
  expect(answered.status).toBe(status);
}

describe.skipIf(!installed && !mustRun)('the shipped dashboard and alert rules on a real Prometheus', () => {
  let anthropic: MockAnthropic;
  let bedrock: MockBedrock;
  let direct: TestGateway | undefined;
  let viaBedrock: TestGateway | undefined;
  let prometheus: PrometheusServer | undefined;

  beforeAll(async () => {
    if (!installed) throw new Error(`${PROMETHEUS_BIN} is missing: .ci/run installs Debian's prometheus package`);
    anthropic = await startMockAnthropic();
    bedrock = await startMockBedrock();
    const env = { CCAG_METRICS_TOKEN: SCRAPE_TOKEN };
    direct = await startGateway({ database: 'sqlite', env: { ...env, ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_UPSTREAM_URL: anthropic.url } });
    viaBedrock = await startGateway({ database: 'sqlite', env });
    await viaBedrock!.addEndpoint({
      kind: 'bedrock',
      name: 'bedrock-us',
      region: 'us-east-1',
      auth: 'static',
      access_key_id: 'AKIDTEST',
      secret_access_key: 'secret',
      endpoint_url: bedrock.url,
      is_default: true,
    });
    // A second endpoint behind the first, so the throttled request below fails over (failovers by
    // reason) after the first endpoint cools down (cooldowns by endpoint).
    await viaBedrock!.addEndpoint({
      kind: 'bedrock',
      name: 'bedrock-us-2',
      region: 'us-east-1',
      auth: 'static',
      access_key_id: 'AKIDTEST',
      secret_access_key: 'secret',
      endpoint_url: bedrock.url,
      priority: 200,
    });

    const { key } = await direct!.createKey('dev@example.com');
    await send(message(direct!, key, 'hi [[usage in=100 out=20 cr=50 cw5=10]]'), 200);
    await send(message(direct!, key, 'stream it [[usage in=80 out=30 cr=40]] [[unified 5h=0.42 7d=0.08]]', true), 200);
    await send(message(direct!, key, 'run it [[tool Bash]]'), 200);
    await send(message(direct!, key, 'ask github [[tool mcp__github__search_issues]]', true), 200);
    await send(message(direct!, key, 'slow down [[error 429 rate_limit_error Slow down]]'), 429);
    await send(message(direct!, key, 'boom [[error 500 api_error Boom]]', true), 500);
    await send(message(direct!, 'sk-ccag-' + '0'.repeat(64), 'bad key'), 401);
    const bedrockKey = await viaBedrock!.createKey('dev@example.com');
    await send(message(viaBedrock!, bedrockKey.key, 'hello'), 200);
    await send(message(viaBedrock!, bedrockKey.key, 'too fast [[bedrock-error ThrottlingException Rate exceeded]]'), 429);

    // The shipped example, pointed at the two replicas: scraped every second, rules evaluated every second.
    const [job] = exampleConfig.scrape_configs;
    const config = {
      ...exampleConfig,
      global: { ...exampleConfig.global, scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [
        {
          ...job,
          authorization: { ...job!.authorization, credentials_file: 'ccag-metrics-token' },
          static_configs: [{ targets: [direct!.url, viaBedrock!.url].map((url) => new URL(url).host) }],
        },
      ],
    };
    prometheus = await startPrometheus(config, { 'alerts.yml': alertsText, 'ccag-metrics-token': SCRAPE_TOKEN });
    // rate() needs two samples in its window; a third scrape leaves margin.
    await prometheus.waitForScrapes(3);
  }, 120_000);

  afterAll(async () => {
    await prometheus?.close();
    await direct?.close();
    await viaBedrock?.close();
    await anthropic?.close();
    await bedrock?.close();
  });

  /** Queries that failed, or returned nothing, with Prometheus's answer. */
  async function failing(queries: { name: string; expr: string }[]): Promise<string[]> {
    const failures: string[] = [];
    for (const { name, expr } of queries) {
      const answer = await prometheus!.query(expr);
      if ('error' in answer) failures.push(`${name}: ${expr} → error ${answer.error}`);
      else if (answer.result.length === 0) failures.push(`${name}: ${expr} → no series`);
    }
    return failures;
  }

  test('both replicas are scraped with the scrape token', async () => {
    const up = await prometheus!.query('up{job="ccag"}');
    expect('result' in up && up.result.map((sample) => sample.value[1])).toEqual(['1', '1']);
  });

  test('every dashboard query returns series', async () => {
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    const queries = dashboard.panels.flatMap((panel) => {
      expect(panel.datasource.uid, panel.title).toBe('${DS_PROMETHEUS}');
      return panel.targets.map((target) => {
        expect(target.datasource.uid, panel.title).toBe('${DS_PROMETHEUS}');
        return { name: panel.title, expr: withGrafanaVariables(target.expr) };
      });
    });
    expect(queries.length).toBeGreaterThanOrEqual(20);
    expect(await failing(queries)).toEqual([]);
  });

  test('every alert expression, without its threshold, returns series', async () => {
    const queries = alertRules.map((rule) => {
      expect(rule.expr.trim(), rule.alert).toMatch(THRESHOLD);
      return { name: rule.alert, expr: withoutThreshold(rule.expr) };
    });
    expect(queries.map((q) => q.name)).toEqual(
      expect.arrayContaining([
        'CCAGSpendRecordsQuarantined', 'CCAGSpendFlushErrors', 'CCAGHighErrorRate', 'CCAGAuthFailureSpike', 'CCAGBedrockThrottling',
        'CCAGEndpointUnhealthy', 'CCAGEndpointRepeatedCooldowns',
      ]),
    );
    expect(await failing(queries)).toEqual([]);
  });

  test('Prometheus loads alerts.yml and every rule evaluates healthy', async () => {
    let rules = await prometheus!.rules();
    const deadline = Date.now() + 10_000;
    while (rules.some((rule) => rule.health === 'unknown') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      rules = await prometheus!.rules();
    }
    expect(rules.map((rule) => rule.name).sort()).toEqual(alertRules.map((rule) => rule.alert).sort());
    expect(rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.health} ${rule.lastError ?? ''}`)).toEqual([]);
  });

  test('promtool accepts the rule file', () => {
    const checked = promtoolCheckRules(join(DEPLOY, 'prometheus', 'alerts.yml'));
    expect(checked.output).toContain(`SUCCESS: ${alertRules.length} rules found`);
    expect(checked.status).toBe(0);
  });
});
