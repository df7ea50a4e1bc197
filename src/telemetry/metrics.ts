/**
 * The gateway's metrics (spec §7): one MeterProvider whose instruments are read by a Prometheus
 * reader (served by our own authorized `/metrics` route, never the exporter's own server) and,
 * when an OTLP endpoint is configured, pushed over gRPC on a fixed interval. Both readers see
 * the same instruments.
 */
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Meter } from '@opentelemetry/api';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { VERSION } from '../cli/version.js';
import { createInstruments, type Instruments } from './instruments.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsOptions {
  /** The OTLP exporter (`otlpExporter()`), when a collector is configured; no push when absent. */
  readonly otlpExporter?: PushMetricExporter | undefined;
  readonly otlpIntervalMs: number;
}

/**
 * The OTLP gRPC exporter for a collector such as `http://otel-collector:4317`. Loaded only when
 * one is configured: gRPC and protobuf weigh about 15 MB of memory a gateway without it should not carry.
 */
export async function otlpExporter(url: string): Promise<PushMetricExporter> {
  const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-grpc');
  return new OTLPMetricExporter({ url });
}

export interface Metrics {
  readonly instruments: Instruments;
  /** For instruments an optional part creates only when it runs (the Admin API collector). */
  readonly meter: Meter;
  /** The Prometheus text exposition of every instrument. */
  scrape(): Promise<string>;
  /** Pushes a last OTLP export, then stops the readers. */
  shutdown(): Promise<void>;
}

export function createMetrics(options: MetricsOptions): Metrics {
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  // Defaults but without the otel_scope_* labels: one meter, so they would only repeat on every series.
  const serializer = new PrometheusSerializer(undefined, false, undefined, false, true);
  // The exporter resolves its own copy of sdk-metrics (2.12.0 beside our 2.12.1): the same
  // reader contract, but TypeScript sees two declarations of the class's private fields.
  const readers: MetricReader[] = [prometheus as unknown as MetricReader];
  if (options.otlpExporter) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: options.otlpExporter,
        exportIntervalMillis: options.otlpIntervalMs,
        // An export may take at most the interval (the SDK's default timeout is 30 s).
        exportTimeoutMillis: Math.min(options.otlpIntervalMs, 30_000),
      }),
    );
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'ccag', 'service.version': VERSION }),
    readers,
  });
  const meter = provider.getMeter('ccag', VERSION);
  const instruments = createInstruments(meter);

  return {
    instruments,
    meter,
    async scrape() {
      const { resourceMetrics } = await prometheus.collect();
      return serializer.serialize(resourceMetrics);
    },
    shutdown: () => provider.shutdown(),
  };
}
