/**
 * An in-process OTLP/HTTP collector for the telemetry relay's tests: a plain HTTP server taking
 * `POST /v1/{metrics,logs,traces}` in protobuf or JSON (gzip or not), decoding each request's
 * resource attributes and the names of what it carries (metric names, span names, log bodies).
 * It can be told to answer with an error status or to hang, like a collector that is down or slow.
 * (test/support/otlp-collector.ts is the gRPC metrics collector the gateway's own push uses.)
 *
 * The three export requests share their outer shape — field 1: per-resource messages, each with
 * `Resource` in field 1 and scope entries in field 2 whose items are in field 2 — so one schema
 * subset reads them all; field numbers are opentelemetry-proto v1's.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

const OTLP_RESOURCE_SUBSET = `
syntax = "proto3";
package relaytest;
message ExportRequest { repeated ResourceEntry resources = 1; }
message ResourceEntry { Resource resource = 1; repeated ScopeEntry scopes = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeEntry { repeated bytes items = 2; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message Metric { string name = 1; }
message Span { string name = 5; }
message LogRecord { AnyValue body = 5; }
`;

const root = protobuf.parse(OTLP_RESOURCE_SUBSET).root;
const ExportRequest = root.lookupType('relaytest.ExportRequest');
const ITEM_TYPES = { metrics: root.lookupType('relaytest.Metric'), traces: root.lookupType('relaytest.Span'), logs: root.lookupType('relaytest.LogRecord') };

export type OtlpSignal = keyof typeof ITEM_TYPES;

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number;
  doubleValue?: number;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}

/** One per-resource entry of an export request, as a test reads it. */
export interface DecodedResource {
  readonly attributes: Record<string, string>;
  /** Every attribute key in order, repeats included (OTLP wants them unique; `attributes` would hide a repeat). */
  readonly keys: string[];
  /** Metric names, span names or log bodies, in order. */
  readonly items: string[];
}

const text = (value: AnyValue | undefined) => String(value?.stringValue ?? value?.intValue ?? value?.doubleValue ?? value?.boolValue ?? '');
const attributesOf = (attributes: KeyValue[] = []) => Object.fromEntries(attributes.map((a) => [a.key, text(a.value)]));

function decodeProtobuf(signal: OtlpSignal, bytes: Uint8Array): DecodedResource[] {
  type Entry = { resource?: { attributes?: KeyValue[] }; scopes?: Array<{ items?: Uint8Array[] }> };
  const request = ExportRequest.toObject(ExportRequest.decode(bytes), { longs: Number }) as { resources?: Entry[] };
  return (request.resources ?? []).map((entry) => ({
    attributes: attributesOf(entry.resource?.attributes),
    keys: (entry.resource?.attributes ?? []).map((a) => a.key),
    items: (entry.scopes ?? []).flatMap((scope) =>
      (scope.items ?? []).map((item) => {
        const decoded = ITEM_TYPES[signal].toObject(ITEM_TYPES[signal].decode(item)) as { name?: string; body?: AnyValue };
        return decoded.name ?? text(decoded.body);
      }),
    ),
  }));
}

const JSON_NAMES = {
  metrics: { resources: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics' },
  traces: { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' },
  logs: { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' },
} as const;

function decodeJson(signal: OtlpSignal, bytes: Uint8Array): DecodedResource[] {
  const names = JSON_NAMES[signal];
  type Item = { name?: string; body?: AnyValue };
  type Entry = { resource?: { attributes?: KeyValue[] } } & Record<string, Array<Record<string, Item[]>> | undefined>;
  const request = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, Entry[] | undefined>;
  return (request[names.resources] ?? []).map((entry) => ({
    attributes: attributesOf(entry.resource?.attributes),
    keys: (entry.resource?.attributes ?? []).map((a) => a.key),
    items: (entry[names.scopes] ?? []).flatMap((scope) => (scope[names.items] ?? []).map((item) => item.name ?? text(item.body))),
  }));
}

/** Decodes an OTLP/HTTP export request body (uncompressed) of either encoding. */
export function decodeOtlp(signal: OtlpSignal, contentType: string, bytes: Uint8Array): DecodedResource[] {
  return contentType.startsWith('application/json') ? decodeJson(signal, bytes) : decodeProtobuf(signal, bytes);
}

export interface ReceivedExport {
  readonly signal: OtlpSignal;
  readonly contentType: string;
  readonly headers: IncomingMessage['headers'];
  readonly resources: DecodedResource[];
}

export type CollectorBehaviour = { readonly answer: 'ok' } | { readonly answer: 'status'; readonly status: number } | { readonly answer: 'hang' };

export interface OtlpHttpCollector {
  /** `http://127.0.0.1:<port>`; signals are posted to `<url>/v1/<signal>`. */
  readonly url: string;
  readonly received: readonly ReceivedExport[];
  /** Requests that arrived, including those it hangs on or refuses. */
  arrivals(): number;
  behave(behaviour: CollectorBehaviour): void;
  /** Resolves once `count` exports were received (answered or not), or rejects after `timeoutMs`. */
  waitForArrivals(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startOtlpHttpCollector(): Promise<OtlpHttpCollector> {
  const received: ReceivedExport[] = [];
  let behaviour: CollectorBehaviour = { answer: 'ok' };
  let arrivals = 0;
  const hanging = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      arrivals += 1;
      if (behaviour.answer === 'hang') {
        hanging.add(response);
        return;
      }
      if (behaviour.answer === 'status') {
        response.writeHead(behaviour.status).end();
        return;
      }
      const signal = request.url?.replace(/^\/v1\//, '') as OtlpSignal;
      const contentType = request.headers['content-type'] ?? '';
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      received.push({ signal, contentType, headers: request.headers, resources: decodeOtlp(signal, contentType, body) });
      response.writeHead(200, { 'content-type': contentType }).end(contentType.startsWith('application/json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    arrivals: () => arrivals,
    behave(next) {
      behaviour = next;
    },
    async waitForArrivals(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (arrivals < count) {
        if (Date.now() > deadline) throw new Error(`collector: ${arrivals} of ${count} exports arrived in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
