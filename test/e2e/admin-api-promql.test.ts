/**
 * The example PromQL of the Prometheus exporter the Admin API collector replaces (seed 004, also
 * in docs/metrics.md), as written, against a real Prometheus scraping a gateway whose collector
 * reads the mock Admin API: every query must evaluate and return series, and the owner and key
 * names must come through. Also the collector's health queries from the docs.
 *
 * In CI (CI=true) a missing /usr/bin/prometheus fails the test; elsewhere the file is skipped.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { apiKey, bucket, costResult, MOCK_ADMIN_KEY, orgUser, startMockAdminApi, usageResult, type MockAdminApi } from '../support/mock-admin-api.js';
import { PROMETHEUS_BIN, prometheusInstalled, startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';

const H = 3_600_000;
const D = 86_400_000;
const mustRun = process.env.CI === 'true';
const installed = prometheusInstalled();
if (!installed && !mustRun) console.warn(`admin-api-promql: skipped, ${PROMETHEUS_BIN} is not installed (apt-get install prometheus; .ci/run does it)`);

/** The seed's "Example Queries", verbatim. */
const SEED_QUERIES = {
  'Total tokens by model': 'sum by (model) (rate(claude_tokens_total[5m]))',
  'Total tokens by API key owner': 'sum by (owner_name, owner_email) (rate(claude_tokens_total[5m]))',
  'Total tokens by API key': 'sum by (api_key_id, api_key_name) (rate(claude_tokens_total[5m]))',
  'Request rate by owner': 'sum by (owner_name) (rate(claude_requests_total[5m]))',
  'Top users by token usage': 'topk(10, sum by (owner_name, owner_email) (claude_tokens_current))',
  'Top API keys by usage': 'topk(10, sum by (api_key_name, owner_name) (claude_tokens_current))',
  'Current cost by workspace': 'sum by (workspace_id) (claude_cost_current_usd)',
};

/** The collector's health, as docs/metrics.md suggests alerting on it. */
const HEALTH_QUERIES = {
  'Poll duration p95': 'histogram_quantile(0.95, sum by (le) (rate(ccag_admin_api_loop_duration_seconds_bucket[5m])))',
  'Seconds since the usage report was last read': 'time() - ccag_admin_api_last_success_timestamp_seconds{report="usage"}',
  'Last poll succeeded': 'ccag_admin_api_loop_success',
};

describe.skipIf(!installed && !mustRun)("the claude exporter's example PromQL on a real Prometheus", () => {
  let mock: MockAdminApi;
  let gw: TestGateway | undefined;
  let prometheus: PrometheusServer | undefined;

  beforeAll(async () => {
    if (!installed) throw new Error(`${PROMETHEUS_BIN} is missing: .ci/run installs Debian's prometheus package`);
    mock = await startMockAdminApi();
    mock.users = [orgUser('user_ada', 'ada@example.com', 'Ada Lovelace'), orgUser('user_bob', 'bob@example.com', 'Bob Builder')];
    mock.apiKeys = [apiKey('apikey_01', 'ci-deploy', 'user_ada'), apiKey('apikey_02', 'bob-laptop', 'user_bob')];
    // The collector reads today's and yesterday's buckets from the real clock: place them relative to it.
    const today = Math.floor(Date.now() / D) * D;
    const usage = (key: string, input: number) => usageResult({ uncached_input_tokens: input, output_tokens: input / 2, model: 'claude-sonnet-4-5', api_key_id: key, workspace_id: 'wrkspc_01', service_tier: 'standard' });
    mock.usage = [bucket(today - D + 5 * H, H, [usage('apikey_01', 500)]), bucket(today, H, [usage('apikey_01', 40), usage('apikey_02', 10)])];
    mock.cost = [bucket(today - D, D, [costResult('300', 'wrkspc_01')]), bucket(today, D, [costResult('125.5', 'wrkspc_01')])];
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_ADMIN_API_KEY: MOCK_ADMIN_KEY, ANTHROPIC_ADMIN_API_URL: mock.url, CCAG_METRICS_OPEN: 'true' } });
    prometheus = await startPrometheus({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      scrape_configs: [{ job_name: 'ccag', static_configs: [{ targets: [new URL(gw!.url).host] }] }],
    });
    // rate() needs two samples in its window; a third scrape leaves margin.
    await prometheus.waitForScrapes(3);
  }, 120_000);

  afterAll(async () => {
    await prometheus?.close();
    await gw?.close();
    await mock?.close();
  });

  test.each(Object.entries({ ...SEED_QUERIES, ...HEALTH_QUERIES }))('%s: %s', async (_name, expr) => {
    const answer = await prometheus!.query(expr);
    if ('error' in answer) throw new Error(`${expr}: ${answer.error}`);
    expect(answer.result.length, expr).toBeGreaterThan(0);
  });

  test('the owners and key names reach Prometheus, and the current figures are today only', async () => {
    const answer = await prometheus!.query(SEED_QUERIES['Top users by token usage']);
    // The API does not promise topk's order: sorted here by owner.
    const rows = 'result' in answer ? answer.result.map((s) => [s.metric.owner_name, s.metric.owner_email, Number(s.value[1])]).sort() : [];
    // Input and output tokens, today only: Ada 40 + 20, Bob 10 + 5.
    expect(rows).toEqual([
      ['Ada Lovelace', 'ada@example.com', 60],
      ['Bob Builder', 'bob@example.com', 15],
    ]);
    const keys = await prometheus!.query(SEED_QUERIES['Top API keys by usage']);
    expect('result' in keys && keys.result.map((s) => s.metric.api_key_name).sort()).toEqual(['bob-laptop', 'ci-deploy']);
    const cost = await prometheus!.query(SEED_QUERIES['Current cost by workspace']);
    expect('result' in cost && cost.result.map((s) => [s.metric.workspace_id, Number(s.value[1])])).toEqual([['wrkspc_01', 1.255]]);
  });
});
