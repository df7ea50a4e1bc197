/**
 * Real OTLP export requests for the relay's unit tests, made by the OpenTelemetry JS SDKs and
 * serialised by @opentelemetry/otlp-transformer (the code inside the OTLP/HTTP exporters), in
 * protobuf and JSON, for each signal. Resources carry `service.name` and a forged `ccag.user.id`
 * the relay must replace.
 */
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { OtlpSignal } from '../../support/otlp-http-collector.js';

export const CLIENT_RESOURCE = { 'service.name': 'claude-code', 'ccag.user.id': 'forged-by-client' };

/** What each fixture carries: metric names, span names, log bodies. */
export const ITEMS: Record<OtlpSignal, string[]> = {
  metrics: ['claude_code.session.count', 'claude_code.token.usage'],
  traces: ['claude_code.interaction'],
  logs: ['claude_code.user_prompt'],
};

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

async function metricsRequest(): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes(CLIENT_RESOURCE), readers: [reader] });
  const meter = provider.getMeter('com.anthropic.claude_code');
  meter.createCounter(ITEMS.metrics[0]!).add(1, { 'session.id': 's-1' });
  meter.createCounter(ITEMS.metrics[1]!).add(1234, { type: 'input', model: 'claude-sonnet-4-5' });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

function spans() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ resource: resourceFromAttributes(CLIENT_RESOURCE), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  provider.getTracer('com.anthropic.claude_code').startSpan(ITEMS.traces[0]!).end();
  return exporter.getFinishedSpans();
}

function logRecords() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes(CLIENT_RESOURCE), processors: [new SimpleLogRecordProcessor({ exporter })] });
  provider.getLogger('com.anthropic.claude_code').emit({ body: ITEMS.logs[0]! });
  return exporter.getFinishedLogRecords();
}

export type FixtureEncoding = 'protobuf' | 'json';

/** A serialised export request of `signal` in `encoding`. */
export async function otlpRequest(signal: OtlpSignal, encoding: FixtureEncoding): Promise<Buffer> {
  const protobuf = encoding === 'protobuf';
  let bytes: Uint8Array | undefined;
  if (signal === 'metrics') {
    const request = await metricsRequest();
    bytes = protobuf ? ProtobufMetricsSerializer.serializeRequest(request) : JsonMetricsSerializer.serializeRequest(request);
  } else if (signal === 'traces') {
    bytes = protobuf ? ProtobufTraceSerializer.serializeRequest(spans()) : JsonTraceSerializer.serializeRequest(spans());
  } else {
    bytes = protobuf ? ProtobufLogsSerializer.serializeRequest(logRecords()) : JsonLogsSerializer.serializeRequest(logRecords());
  }
  if (!bytes) throw new Error(`the ${encoding} serializer produced nothing for ${signal}`);
  return Buffer.from(bytes);
}
