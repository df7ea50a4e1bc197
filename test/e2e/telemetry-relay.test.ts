/**
 * The telemetry relay end to end (SQLite): the real OpenTelemetry JS OTLP/HTTP metrics exporter
 * (JSON, and protobuf with gzip) sends to the gateway as Claude Code does — `<gateway>/v1/metrics`
 * with the developer's virtual key, or the bearer of a device-flow sign-in — and a local collector
 * receives the metrics with the caller's ccag.* resource attributes and the operator's collector
 * header. A wrong key is refused (the exporter reports the failure); /metrics counts the relay.
 */
import { OTLPMetricExporter, OTLPMetricExporterBase, type OTLPMetricExporterOptions } from '@opentelemetry/exporter-metrics-otlp-http';
import { CompressionAlgorithm, type OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { MetricsExporterMetricsHelper, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { approveWithPassword, authorizeDevice, pollToken } from '../support/device-flow.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startOtlpHttpCollector, type OtlpHttpCollector, type ReceivedExport } from '../support/otlp-http-collector.js';
import { sampleValue } from '../support/prometheus-text.js';

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
const COLLECTOR_KEY = 'collector-api-key-123';

/**
 * The protobuf flavour of the OTLP/HTTP metrics exporter, assembled exactly as
 * @opentelemetry/exporter-metrics-otlp-proto does (that package is not installed): the same base
 * class, HTTP delegate and protobuf serializer.
 */
function protobufMetricExporter(options: OTLPMetricExporterOptions & OTLPExporterNodeConfigBase): OTLPMetricExporterBase {
  const http = convertLegacyHttpOptions(options, 'METRICS', 'v1/metrics', { 'Content-Type': 'application/x-protobuf' });
  return new OTLPMetricExporterBase(createOtlpHttpExportDelegate(http, ProtobufMetricsSerializer, 'otlp_http_metric_exporter', MetricsExporterMetricsHelper, undefined), options);
}

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/**
 * Records one Claude Code-like counter and pushes it through `exporter` once, answering the
 * exporter's own result (a periodic reader would only hand a failure to the global error handler).
 */
async function exportOnce(exporter: PushMetricExporter, metricName: string): Promise<ExportResult> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'claude-code', 'ccag.user.email': 'someone-else@example.com' }), readers: [reader] });
  provider.getMeter('com.anthropic.claude_code').createCounter(metricName).add(3, { 'session.id': 'session-1' });
  const { resourceMetrics } = await reader.collect();
  // The exporter package may resolve its own copy of sdk-metrics: the same data, two declarations.
  const result = await new Promise<ExportResult>((resolve) => exporter.export(resourceMetrics as never, resolve));
  await Promise.all([exporter.shutdown(), provider.shutdown()]);
  return result;
}

describe('telemetry relay through a gateway (sqlite)', () => {
  let collector: OtlpHttpCollector;
  let gw: TestGateway | undefined;
  let key: { key: string; id: string };
  let teamId: string;

  beforeAll(async () => {
    collector = await startOtlpHttpCollector();
    gw = await startGateway({
      database: 'sqlite',
      env: { CCAG_TELEMETRY_RELAY_METRICS_URL: `${collector.url}/v1/metrics`, CCAG_TELEMETRY_RELAY_HEADERS: `x-collector-key=${COLLECTOR_KEY}`, CCAG_METRICS_TOKEN: SCRAPE_TOKEN },
    });
    const team = await gw!.admin<{ id: string }>('POST', '/teams', { name: 'frontend' });
    teamId = team.body.id;
    key = await gw!.createKey('dev@example.com', { team_id: teamId });
  });
  afterAll(async () => {
    await gw?.close();
    await collector?.close();
  });

  /** The export carrying `metricName`, once the relay's queue has forwarded it (after the client's 200). */
  async function received(metricName: string, timeoutMs = 10_000): Promise<ReceivedExport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = collector.received.find((item) => item.resources.some((resource) => resource.items.includes(metricName)));
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`the collector did not receive ${metricName}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  test.each([
    ['protobuf, gzip', 'application/x-protobuf', () => protobufMetricExporter({ url: `${gw!.url}/v1/metrics`, headers: { 'x-api-key': key.key }, compression: CompressionAlgorithm.GZIP })],
    ['JSON', 'application/json', () => new OTLPMetricExporter({ url: `${gw!.url}/v1/metrics`, headers: { 'x-api-key': key.key } })],
  ])('the real OTLP/HTTP exporter (%s) with a virtual key: the collector receives the metrics with the caller attached', async (name, contentType, exporter) => {
    const metricName = `claude_code.session.count.${name.split(',')[0]}`;
    expect(await exportOnce(exporter(), metricName)).toEqual({ code: ExportResultCode.SUCCESS });
    const exported = await received(metricName);
    expect(exported.contentType).toBe(contentType);
    expect(exported.headers['x-collector-key']).toBe(COLLECTOR_KEY);
    expect(exported.headers['x-api-key']).toBeUndefined();
    expect(exported.resources).toHaveLength(1);
    expect(exported.resources[0]!.attributes).toEqual({
      'service.name': 'claude-code',
      'ccag.user.id': expect.any(String),
      'ccag.user.email': 'dev@example.com',
      'ccag.team.id': teamId,
      'ccag.team.name': 'frontend',
      'ccag.key.prefix': expect.any(String),
    });
    expect(key.key.startsWith(exported.resources[0]!.attributes['ccag.key.prefix']!)).toBe(true);
  });

  test('the protobuf exporter above really compresses (sent straight to the collector, which records the encoding)', async () => {
    const direct = protobufMetricExporter({ url: `${collector.url}/v1/metrics`, compression: CompressionAlgorithm.GZIP });
    expect(await exportOnce(direct, 'claude_code.direct')).toEqual({ code: ExportResultCode.SUCCESS });
    expect((await received('claude_code.direct')).headers['content-encoding']).toBe('gzip');
  });

  test('a device-flow (SSO) bearer works too: the user is attached, and there is no key prefix', async () => {
    const g = gw!;
    const device = await authorizeDevice(g.url);
    await approveWithPassword(g.url, device.user_code, { username: g.adminUsername, password: g.adminPassword });
    const token = await pollToken(g.url, device.device_code);
    expect(token.status).toBe(200);
    const exported = await exportOnce(new OTLPMetricExporter({ url: `${g.url}/v1/metrics`, headers: { authorization: `Bearer ${String(token.body.access_token)}` } }), 'claude_code.lines_of_code.count');
    expect(exported.code).toBe(ExportResultCode.SUCCESS);
    const attributes = (await received('claude_code.lines_of_code.count')).resources[0]!.attributes;
    expect(attributes['ccag.user.email']).toBe(g.adminUsername);
    expect(attributes).not.toHaveProperty('ccag.key.prefix');
  });

  test('a wrong key: the exporter sees the refusal, nothing reaches the collector; /metrics counts the relay', async () => {
    const g = gw!;
    const before = collector.arrivals();
    const refused = await exportOnce(new OTLPMetricExporter({ url: `${g.url}/v1/metrics`, headers: { 'x-api-key': 'sk-ccag-not-a-real-key' } }), 'claude_code.refused');
    expect(refused.code).toBe(ExportResultCode.FAILED);
    expect(refused.error).toMatchObject({ code: 401 });
    expect(collector.arrivals()).toBe(before);

    const scrape = async () => (await fetch(`${g.url}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })).text();
    // Two exporter tests and the device-flow one went through the gateway (the direct one did not);
    // the last forward is counted when the collector's answer reaches the relay, just after it recorded the export.
    let scraped = await scrape();
    for (let attempt = 0; attempt < 50 && sampleValue(scraped, 'ccag_telemetry_relay_forwarded_total{signal="metrics"}') !== 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      scraped = await scrape();
    }
    expect(sampleValue(scraped, 'ccag_telemetry_relay_received_total{signal="metrics"}')).toBe(3);
    expect(sampleValue(scraped, 'ccag_telemetry_relay_forwarded_total{signal="metrics"}')).toBe(3);
    expect(sampleValue(scraped, 'ccag_telemetry_relay_dropped_total{signal="logs",reason="disabled"}')).toBe(0);
    expect(sampleValue(scraped, 'ccag_telemetry_relay_queue_depth')).toBe(0);
  });
});
