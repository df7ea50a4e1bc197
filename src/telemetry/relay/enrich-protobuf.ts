/**
 * Enriching an OTLP protobuf export request without decoding it. Claude Code sends its metrics as
 * protobuf every minute per developer, so this runs often; a full decode and re-encode would also
 * need the complete OTLP schema, because a schema-driven encoder silently drops every field its
 * schema lacks. Instead the relay walks two levels of tags — the export request's per-resource
 * messages (field 1) and, in each, the `Resource` (field 1) — and copies everything else by
 * reference: scope metrics, spans and log records are never parsed.
 *
 * Each per-resource message gets exactly one `Resource`: the client's (several occurrences are
 * joined, which is protobuf's merge rule for a singular message field) minus its `ccag.*`
 * attributes, plus the gateway's. Merely appending a second `resource` field would rely on every
 * collector merging repeated singular fields; protobufjs, for one, keeps only the last.
 *
 * Cost, measured (Node 20, a shared test machine) against decoding, appending and re-encoding with
 * protobufjs and a schema of the metric fields: 0.09 ms vs 0.5 ms for a 5 KB request of 60 data
 * points (a typical Claude Code export), 0.9 ms vs 13 ms for 160 KB and 2,000 points. What remains
 * is allocating and copying the output once.
 */
import { fieldsOf, MessageWriter, WIRE_LENGTH_DELIMITED, type WireField } from './protobuf-wire.js';
import { GATEWAY_ATTRIBUTE_PREFIX, type ResourceAttributes } from './resource-attributes.js';

/** Field numbers from opentelemetry-proto (collector/*, resource/v1, common/v1). */
const RESOURCE_LIST = 1; // Export{Metrics,Logs,Trace}ServiceRequest.resource_{metrics,logs,spans}
const RESOURCE = 1; // Resource{Metrics,Logs,Spans}.resource
const ATTRIBUTES = 1; // Resource.attributes (KeyValue)
const KEY = 1; // KeyValue.key
const VALUE = 2; // KeyValue.value (AnyValue)
const STRING_VALUE = 1; // AnyValue.string_value

// Buffer.from takes short strings from Buffer's shared pool, unlike TextEncoder.encode.
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const PREFIX_BYTES = utf8(GATEWAY_ATTRIBUTE_PREFIX);

const isMessage = (field: WireField, number: number) => field.number === number && field.wireType === WIRE_LENGTH_DELIMITED;

function startsWithPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= PREFIX_BYTES.length && PREFIX_BYTES.every((byte, index) => bytes[index] === byte);
}

/** Whether a `KeyValue` message's key is in the gateway's namespace. */
function isGatewayAttribute(keyValue: Uint8Array): boolean {
  const key = fieldsOf(keyValue).find((field) => isMessage(field, KEY));
  return key !== undefined && startsWithPrefix(keyValue.subarray(key.valueStart, key.end));
}

/** The `Resource.attributes` entries for the gateway's attributes, encoded once per request. */
export function encodeAttributes(attributes: ResourceAttributes): MessageWriter {
  const encoded = new MessageWriter();
  for (const [key, value] of attributes) {
    const anyValue = new MessageWriter().field(STRING_VALUE, utf8(value));
    encoded.field(ATTRIBUTES, new MessageWriter().field(KEY, utf8(key)).field(VALUE, anyValue));
  }
  return encoded;
}

function enrichedResourceMessage(message: Uint8Array, gatewayAttributes: Uint8Array): MessageWriter {
  const resource = new MessageWriter();
  const rest = new MessageWriter();
  for (const field of fieldsOf(message)) {
    if (!isMessage(field, RESOURCE)) {
      rest.raw(message.subarray(field.start, field.end));
      continue;
    }
    const clientResource = message.subarray(field.valueStart, field.end);
    for (const entry of fieldsOf(clientResource)) {
      if (isMessage(entry, ATTRIBUTES) && isGatewayAttribute(clientResource.subarray(entry.valueStart, entry.end))) continue;
      resource.raw(clientResource.subarray(entry.start, entry.end));
    }
  }
  resource.raw(gatewayAttributes);
  return new MessageWriter().field(RESOURCE, resource).raw(rest);
}

/** The request with the gateway's attributes on every resource; throws MalformedPayload on bytes that are not protobuf. */
export function enrichProtobuf(body: Uint8Array, attributes: ResourceAttributes): Buffer {
  const gatewayAttributes = encodeAttributes(attributes).bytes();
  const request = new MessageWriter();
  for (const field of fieldsOf(body)) {
    if (isMessage(field, RESOURCE_LIST)) request.field(RESOURCE_LIST, enrichedResourceMessage(body.subarray(field.valueStart, field.end), gatewayAttributes));
    else request.raw(body.subarray(field.start, field.end));
  }
  return request.bytes();
}
