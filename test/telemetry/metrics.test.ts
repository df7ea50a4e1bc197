/**
 * The instruments as Prometheus scrapes them: exact names and types (no `_total_total`, the
 * duration histogram's series, the extras: body size, queue depth, utilization, budget outcomes,
 * process metrics), the label mapping of a settled request, and bounded labels.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { createMetrics, type Metrics } from '../../src/telemetry/metrics.js';
import { BoundedLabel, createRecorders, OVERFLOW_LABEL, toolLabels } from '../../src/telemetry/recorders.js';
import { metricTypes, sampleValue } from '../support/prometheus-text.js';

const ROW: SpendLedgerTable = {
  request_id: 'req-1',
  created_at: 0,
  key_id: 'k',
  key_prefix: 'sk-ccag-abc',
  user_id: 'u',
  team_id: null,
  endpoint_id: 'ep-bedrock',
  model: 'claude-sonnet-4-5',
  upstream_model: null,
  streaming: 1,
  status: 200,
  stop_reason: 'tool_use',
  error_type: null,
  input_tokens: 100,
  output_tokens: 40,
  cache_read_tokens: 7,
  cache_write_5m_tokens: 3,
  cache_write_1h_tokens: 2,
  cost_micros: 1_500_000,
  pricing_status: 'priced',
  usage_estimated: 0,
  duration_ms: 1234,
  ttft_ms: 80,
  session_id: null,
  // One entry per call: Bash was called twice in this response.
  tool_names: 'Bash,mcp__github__search_issues,Bash,mcp__github__get_pr',
  // The request reported one failed MCP tool result and one failed Bash result.
  tool_errors: 'mcp__github__get_pr,Bash',
  web_searches: 0,
  upstream_request_id: null,
};

describe('metrics', () => {
  let metrics: Metrics;
  afterEach(() => metrics.shutdown());

  test('every instrument of spec §7 scrapes under its documented name and type', async () => {
    metrics = createMetrics({ otlpIntervalMs: 60_000 });
    const observe = createRecorders(metrics.instruments, { endpointKind: (id) => (id === 'ep-bedrock' ? 'bedrock' : 'anthropic') });
    metrics.instruments.requestsInFlight.addCallback((result) => result.observe(3));
    observe.settled(ROW);
    observe.settled({ ...ROW, request_id: 'req-2', status: 429, error_type: 'rate_limit_error', tool_names: null, ttft_ms: null });
    observe.authFailure('expired');
    observe.spendFlushError();
    observe.spendQuarantined(2);
    observe.requestBody('claude-sonnet-4-5', 5_000);
    observe.requestBody('claude-sonnet-4-5', 20 * 2 ** 20);
    observe.upstreamReply('ep-anthropic', { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '45' });
    observe.budgetOutcome('warning');
    metrics.instruments.spendQueueDepth.addCallback((result) => result.observe(12));
    metrics.instruments.endpointCooldowns.add(1, { endpoint_id: 'ep-bedrock' });
    metrics.instruments.endpointHealthy.addCallback((result) => {
      result.observe(0, { endpoint_id: 'ep-bedrock' });
      result.observe(1, { endpoint_id: 'ep-anthropic' });
    });
    metrics.instruments.failovers.add(1, { reason: 'throttled' });
    // The event-loop delay sampler needs one interval before it has a reading.
    await new Promise((resolve) => setTimeout(resolve, 30));

    const text = await metrics.scrape();
    expect(metricTypes(text)).toEqual({
      target_info: 'gauge',
      ccag_requests_total: 'counter',
      ccag_request_duration_ms: 'histogram',
      ccag_requests_in_flight: 'gauge',
      ccag_tokens_input_total: 'counter',
      ccag_tokens_output_total: 'counter',
      ccag_tokens_cache_read_total: 'counter',
      ccag_tokens_cache_write_total: 'counter',
      ccag_tool_calls_total: 'counter',
      ccag_tool_errors_total: 'counter',
      ccag_web_searches_total: 'counter',
      ccag_errors_total: 'counter',
      ccag_bedrock_throttles_total: 'counter',
      ccag_rate_limits_total: 'counter',
      ccag_auth_failures_total: 'counter',
      ccag_spend_flush_errors_total: 'counter',
      ccag_spend_records_quarantined_total: 'counter',
      ccag_cost_usd_total: 'counter',
      ccag_time_to_first_token_ms: 'histogram',
      ccag_request_body_bytes: 'histogram',
      ccag_spend_queue_depth: 'gauge',
      ccag_upstream_utilization: 'gauge',
      ccag_budget_requests_total: 'counter',
      ccag_endpoint_cooldowns_total: 'counter',
      ccag_endpoint_healthy: 'gauge',
      ccag_failovers_total: 'counter',
      ccag_process_resident_memory_bytes: 'gauge',
      ccag_process_heap_used_bytes: 'gauge',
      ccag_process_event_loop_delay_p99_ms: 'gauge',
      ccag_process_cpu_seconds_total: 'counter',
      ccag_process_uptime_seconds: 'gauge',
      // The telemetry relay's counters start at 0 for every signal (its queue gauge needs the relay running).
      ccag_telemetry_relay_received_total: 'counter',
      ccag_telemetry_relay_forwarded_total: 'counter',
      ccag_telemetry_relay_dropped_total: 'counter',
      ccag_telemetry_relay_forward_failures_total: 'counter',
    });
    expect(text).not.toContain('_total_total');
    expect(text).toMatch(/^target_info\{service_name="ccag",service_version="\d+\.\d+\.\d+[^"]*"\} 1$/m);

    const m = 'model="claude-sonnet-4-5"';
    expect(sampleValue(text, `ccag_requests_total{${m},streaming="true",status="200"}`)).toBe(1);
    expect(sampleValue(text, `ccag_requests_total{${m},streaming="true",status="429"}`)).toBe(1);
    expect(sampleValue(text, `ccag_request_duration_ms_count{${m},streaming="true",status="200"}`)).toBe(1);
    expect(sampleValue(text, `ccag_request_duration_ms_sum{${m},streaming="true",status="200"}`)).toBe(1234);
    expect(sampleValue(text, `ccag_request_duration_ms_bucket{${m},streaming="true",status="200",le="1000"}`)).toBe(0);
    expect(sampleValue(text, `ccag_request_duration_ms_bucket{${m},streaming="true",status="200",le="2500"}`)).toBe(1);
    expect(sampleValue(text, `ccag_request_duration_ms_bucket{${m},streaming="true",status="200",le="600000"}`)).toBe(1);
    expect(sampleValue(text, 'ccag_requests_in_flight')).toBe(3);
    expect(sampleValue(text, `ccag_tokens_input_total{${m}}`)).toBe(200);
    expect(sampleValue(text, `ccag_tokens_output_total{${m}}`)).toBe(80);
    expect(sampleValue(text, `ccag_tokens_cache_read_total{${m}}`)).toBe(14);
    expect(sampleValue(text, `ccag_tokens_cache_write_total{${m}}`)).toBe(10);
    expect(sampleValue(text, `ccag_cost_usd_total{${m}}`)).toBe(3);
    expect(sampleValue(text, `ccag_time_to_first_token_ms_count{${m},streaming="true"}`)).toBe(1);
    expect(sampleValue(text, 'ccag_tool_calls_total{tool="Bash",type="builtin"}')).toBe(2);
    expect(sampleValue(text, 'ccag_tool_calls_total{tool="mcp__github",type="mcp"}')).toBe(2);
    // Two settled rows each reported the same two failed results.
    expect(sampleValue(text, 'ccag_tool_errors_total{tool="mcp__github",type="mcp"}')).toBe(2);
    expect(sampleValue(text, 'ccag_tool_errors_total{tool="Bash",type="builtin"}')).toBe(2);
    expect(sampleValue(text, 'ccag_errors_total{error_type="rate_limit_error",endpoint_id="ep-bedrock"}')).toBe(1);
    expect(sampleValue(text, `ccag_bedrock_throttles_total{${m},endpoint_id="ep-bedrock"}`)).toBe(1);
    expect(sampleValue(text, 'ccag_auth_failures_total{reason="expired"}')).toBe(1);
    expect(sampleValue(text, 'ccag_spend_flush_errors_total')).toBe(1);
    expect(sampleValue(text, 'ccag_spend_records_quarantined_total')).toBe(2);
    expect(sampleValue(text, 'ccag_web_searches_total')).toBe(0);
    expect(sampleValue(text, 'ccag_rate_limits_total')).toBe(0);

    expect(sampleValue(text, `ccag_request_body_bytes_count{${m}}`)).toBe(2);
    expect(sampleValue(text, `ccag_request_body_bytes_bucket{${m},le="4096"}`)).toBe(0);
    expect(sampleValue(text, `ccag_request_body_bytes_bucket{${m},le="16384"}`)).toBe(1);
    expect(sampleValue(text, `ccag_request_body_bytes_bucket{${m},le="16777216"}`)).toBe(1);
    expect(sampleValue(text, `ccag_request_body_bytes_bucket{${m},le="33554432"}`)).toBe(2);
    expect(sampleValue(text, 'ccag_upstream_utilization{endpoint_id="ep-anthropic",window="requests"}')).toBe(0.1);
    expect(sampleValue(text, 'ccag_spend_queue_depth')).toBe(12);
    // Every outcome exists from the start; one was counted.
    expect(sampleValue(text, 'ccag_budget_requests_total{status="warning"}')).toBe(1);
    expect(sampleValue(text, 'ccag_budget_requests_total{status="blocked"}')).toBe(0);
    expect(sampleValue(text, 'ccag_endpoint_cooldowns_total{endpoint_id="ep-bedrock"}')).toBe(1);
    expect(sampleValue(text, 'ccag_endpoint_healthy{endpoint_id="ep-bedrock"}')).toBe(0);
    expect(sampleValue(text, 'ccag_endpoint_healthy{endpoint_id="ep-anthropic"}')).toBe(1);
    // Every reason exists from the start; one was counted.
    expect(sampleValue(text, 'ccag_failovers_total{reason="throttled"}')).toBe(1);
    expect(sampleValue(text, 'ccag_failovers_total{reason="unreachable"}')).toBe(0);
    expect(sampleValue(text, 'ccag_process_uptime_seconds')).toBeCloseTo(process.uptime(), 0);
    expect(sampleValue(text, 'ccag_process_resident_memory_bytes')).toBeGreaterThan(sampleValue(text, 'ccag_process_heap_used_bytes')!);
    expect(sampleValue(text, 'ccag_process_event_loop_delay_p99_ms')).toBeGreaterThanOrEqual(0);
  });

  test('a rate limit on an Anthropic endpoint is an error, not a Bedrock throttle', async () => {
    metrics = createMetrics({ otlpIntervalMs: 60_000 });
    const observe = createRecorders(metrics.instruments, { endpointKind: () => 'anthropic' });
    observe.settled({ ...ROW, endpoint_id: 'ep-anthropic', status: 429, error_type: 'rate_limit_error' });
    const text = await metrics.scrape();
    expect(sampleValue(text, 'ccag_errors_total{error_type="rate_limit_error",endpoint_id="ep-anthropic"}')).toBe(1);
    expect(text).not.toContain('ccag_bedrock_throttles_total{');
  });
});

describe('labels', () => {
  test('MCP tools collapse to their server; other tools keep their name', () => {
    expect(toolLabels('mcp__github__search_issues')).toEqual({ tool: 'mcp__github', type: 'mcp' });
    expect(toolLabels('mcp__linear__create_issue')).toEqual({ tool: 'mcp__linear', type: 'mcp' });
    expect(toolLabels('Bash')).toEqual({ tool: 'Bash', type: 'builtin' });
  });

  test('a bounded label keeps its first values and reports later ones as other', () => {
    const label = new BoundedLabel(2);
    expect([label.of('a'), label.of('b'), label.of('c'), label.of('a')]).toEqual(['a', 'b', OVERFLOW_LABEL, 'a']);
    expect(label.of('x'.repeat(500))).toBe(OVERFLOW_LABEL);
    expect(new BoundedLabel(5).of('y'.repeat(500))).toHaveLength(100);
  });
});
