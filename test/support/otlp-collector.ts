/**
 * An in-process OTLP gRPC metrics collector: a real @grpc/grpc-js server implementing
 * `opentelemetry.proto.collector.metrics.v1.MetricsService/Export`, decoding each request with
 * protobufjs. The OpenTelemetry packages no longer ship the OTLP .proto files (their exporter
 * writes protobuf by hand), so the schema below is the part of opentelemetry-proto v1 a test
 * reads, with the upstream field numbers; fields it omits are skipped by the decoder.
 */
import { Server, ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs';

const OTLP_METRICS_SUBSET = `
syntax = "proto3";
package opentelemetry.proto;
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ExportMetricsServiceResponse {}
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; }
message InstrumentationScope { string name = 1; string version = 2; }
message Metric {
  string name = 1;
  string description = 2;
  string unit = 3;
  oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; }
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message NumberDataPoint { repeated KeyValue attributes = 7; oneof value { double as_double = 4; sfixed64 as_int = 6; } }
message HistogramDataPoint { repeated KeyValue attributes = 9; fixed64 count = 4; optional double sum = 5; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
`;

const root = protobuf.parse(OTLP_METRICS_SUBSET, { keepCase: false }).root;
const ExportRequest = root.lookupType('opentelemetry.proto.ExportMetricsServiceRequest');
const ExportResponse = root.lookupType('opentelemetry.proto.ExportMetricsServiceResponse');

interface KeyValue {
  key: string;
  value?: { stringValue?: string; boolValue?: boolean; intValue?: number; doubleValue?: number };
}
interface NumberPoint {
  attributes?: KeyValue[];
  asDouble?: number;
  asInt?: number;
}
interface HistogramPoint {
  attributes?: KeyValue[];
  count?: number;
  sum?: number;
}
interface DecodedMetric {
  name: string;
  unit?: string;
  gauge?: { dataPoints?: NumberPoint[] };
  sum?: { dataPoints?: NumberPoint[]; isMonotonic?: boolean };
  histogram?: { dataPoints?: HistogramPoint[] };
}
interface DecodedRequest {
  resourceMetrics?: Array<{ resource?: { attributes?: KeyValue[] }; scopeMetrics?: Array<{ metrics?: DecodedMetric[] }> }>;
}

/** One data point as a test reads it: labels, and the value (a histogram's is its count). */
export interface ReceivedPoint {
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface ReceivedMetric {
  readonly name: string;
  readonly kind: 'sum' | 'gauge' | 'histogram';
  readonly points: readonly ReceivedPoint[];
}

export interface OtlpCollector {
  /** `http://127.0.0.1:<port>`, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  /** Resource attributes of the last export. */
  resource(): Record<string, string>;
  /** The metrics of the latest export that carried each name (exports are cumulative). */
  latest(): ReadonlyMap<string, ReceivedMetric>;
  exports(): number;
  close(): Promise<void>;
}

const labelsOf = (attributes: KeyValue[] = []): Record<string, string> =>
  Object.fromEntries(attributes.map((a) => [a.key, String(a.value?.stringValue ?? a.value?.intValue ?? a.value?.doubleValue ?? a.value?.boolValue ?? '')]));

function received(metric: DecodedMetric): ReceivedMetric {
  if (metric.histogram) {
    return { name: metric.name, kind: 'histogram', points: (metric.histogram.dataPoints ?? []).map((p) => ({ labels: labelsOf(p.attributes), value: p.count ?? 0 })) };
  }
  const numbers = metric.sum ?? metric.gauge;
  return {
    name: metric.name,
    kind: metric.sum ? 'sum' : 'gauge',
    points: (numbers?.dataPoints ?? []).map((p) => ({ labels: labelsOf(p.attributes), value: p.asDouble ?? p.asInt ?? 0 })),
  };
}

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const latest = new Map<string, ReceivedMetric>();
  let resource: Record<string, string> = {};
  let exports = 0;

  const service: ServiceDefinition = {
    Export: {
      path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
      requestStream: false,
      responseStream: false,
      requestDeserialize: (bytes: Buffer) => ExportRequest.toObject(ExportRequest.decode(bytes), { longs: Number, defaults: false, oneofs: false }),
      requestSerialize: () => Buffer.alloc(0),
      responseSerialize: () => Buffer.from(ExportResponse.encode(ExportResponse.create({})).finish()),
      responseDeserialize: () => ({}),
    },
  };
  const server = new Server();
  server.addService(service, {
    Export(call: { request: DecodedRequest }, callback: (error: null, response: object) => void) {
      exports += 1;
      for (const resourceMetrics of call.request.resourceMetrics ?? []) {
        resource = labelsOf(resourceMetrics.resource?.attributes);
        for (const scope of resourceMetrics.scopeMetrics ?? []) for (const metric of scope.metrics ?? []) latest.set(metric.name, received(metric));
      }
      callback(null, {});
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );

  return {
    url: `http://127.0.0.1:${port}`,
    resource: () => resource,
    latest: () => latest,
    exports: () => exports,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
