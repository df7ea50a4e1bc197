/**
 * The three OTLP/HTTP signals the relay accepts, and the two encodings. Each signal's export
 * request has the same shape: one repeated field (number 1) of per-resource messages, each of
 * which carries its `Resource` in field 1; only the JSON names differ.
 */

export const SIGNALS = ['metrics', 'logs', 'traces'] as const;
export type Signal = (typeof SIGNALS)[number];

/** The export request's list of per-resource messages, by its OTLP/JSON (lowerCamelCase) name. */
export const RESOURCE_LIST_FIELD: Record<Signal, string> = {
  metrics: 'resourceMetrics',
  logs: 'resourceLogs',
  traces: 'resourceSpans',
};

export type Encoding = 'protobuf' | 'json';

export const CONTENT_TYPES: Record<Encoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The encoding of a `content-type` header (parameters such as `charset` ignored), or undefined. */
export function encodingOf(contentType: string | undefined): Encoding | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === CONTENT_TYPES.protobuf) return 'protobuf';
  if (mediaType === CONTENT_TYPES.json) return 'json';
  return undefined;
}
