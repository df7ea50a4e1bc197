/**
 * Enriching an OTLP/JSON export request: parse, set the gateway's attributes on each resource,
 * serialise. OTLP/JSON writes 64-bit integers (timestamps, int attributes) as strings, per the
 * protobuf JSON mapping, so parsing loses nothing for a conforming sender; a sender writing them
 * as bare numbers above 2^53 would lose precision here (Node 20 has no lossless JSON.parse).
 */
import { MalformedPayload } from './protobuf-wire.js';
import { GATEWAY_ATTRIBUTE_PREFIX, type ResourceAttributes } from './resource-attributes.js';
import { RESOURCE_LIST_FIELD, type Signal } from './signals.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The protobuf JSON mapping lets parsers accept the proto field names too (`resource_metrics`). */
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function enrichResource(entry: unknown, attributes: ResourceAttributes): void {
  if (!isObject(entry)) throw new MalformedPayload('a resource entry is not an object');
  const resource = entry.resource ?? {};
  if (!isObject(resource)) throw new MalformedPayload('resource is not an object');
  const clientAttributes = resource.attributes ?? [];
  if (!Array.isArray(clientAttributes)) throw new MalformedPayload('resource.attributes is not an array');
  const kept = clientAttributes.filter((attribute) => !(isObject(attribute) && typeof attribute.key === 'string' && attribute.key.startsWith(GATEWAY_ATTRIBUTE_PREFIX)));
  resource.attributes = [...kept, ...attributes.map(([key, value]) => ({ key, value: { stringValue: value } }))];
  entry.resource = resource;
}

/** The request with the gateway's attributes on every resource; throws MalformedPayload on text that is not an OTLP/JSON request. */
export function enrichJson(signal: Signal, body: Uint8Array, attributes: ResourceAttributes): Buffer {
  let request: unknown;
  try {
    request = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    throw new MalformedPayload('body is not JSON');
  }
  if (!isObject(request)) throw new MalformedPayload('body is not a JSON object');
  const field = RESOURCE_LIST_FIELD[signal];
  for (const name of [field, snakeCase(field)]) {
    const entries = request[name];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) throw new MalformedPayload(`${name} is not an array`);
    for (const entry of entries) enrichResource(entry, attributes);
  }
  return Buffer.from(JSON.stringify(request));
}
