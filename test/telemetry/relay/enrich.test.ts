/**
 * Enrichment of real OTLP requests (SDK-made, each signal, protobuf and JSON, plain and gzip):
 * the collector-side decode shows the gateway's attributes on every resource, the client's own
 * attributes kept except a forged `ccag.*`, and the data untouched; protobuf fields the relay does
 * not rewrite are copied byte for byte; unreadable bodies are refused, not forwarded.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { enrichJson } from '../../../src/telemetry/relay/enrich-json.js';
import { enrichProtobuf } from '../../../src/telemetry/relay/enrich-protobuf.js';
import { compressionOf, enrichPayload } from '../../../src/telemetry/relay/payload.js';
import { fieldsOf, MalformedPayload, MessageWriter } from '../../../src/telemetry/relay/protobuf-wire.js';
import { resourceAttributesOf } from '../../../src/telemetry/relay/resource-attributes.js';
import { CONTENT_TYPES, SIGNALS } from '../../../src/telemetry/relay/signals.js';
import { decodeOtlp } from '../../support/otlp-http-collector.js';
import { CLIENT_RESOURCE, ITEMS, otlpRequest } from './otlp-fixtures.js';

const PRINCIPAL = { keyId: 'k-1', keyPrefix: 'sk-ccag-AbCd', userId: 'u-1', userEmail: 'dev@example.com', teamId: 't-1', credential: 'key' } as const;
const ATTRIBUTES = resourceAttributesOf(PRINCIPAL, 'frontend');
const EXPECTED = {
  'service.name': CLIENT_RESOURCE['service.name'],
  'ccag.user.id': 'u-1',
  'ccag.user.email': 'dev@example.com',
  'ccag.team.id': 't-1',
  'ccag.team.name': 'frontend',
  'ccag.key.prefix': 'sk-ccag-AbCd',
};

describe('resource attributes', () => {
  test('a caller without a team or key (an OAuth bearer) gets only the user attributes', () => {
    const oauth = { ...PRINCIPAL, keyId: null, keyPrefix: null, teamId: null, credential: 'oauth' } as const;
    expect(resourceAttributesOf(oauth, undefined)).toEqual([
      ['ccag.user.id', 'u-1'],
      ['ccag.user.email', 'dev@example.com'],
    ]);
  });
});

describe.each(SIGNALS)('%s requests', (signal) => {
  test.each(['protobuf', 'json'] as const)('%s: every resource gets the caller, a forged ccag.* attribute is replaced, the data is unchanged', async (encoding) => {
    const original = await otlpRequest(signal, encoding);
    const enriched = encoding === 'protobuf' ? enrichProtobuf(original, ATTRIBUTES) : enrichJson(signal, original, ATTRIBUTES);
    const [before] = decodeOtlp(signal, CONTENT_TYPES[encoding], original);
    expect(before!.attributes['ccag.user.id']).toBe('forged-by-client');
    const after = decodeOtlp(signal, CONTENT_TYPES[encoding], enriched);
    expect(after).toHaveLength(1);
    expect(after[0]!.attributes).toMatchObject(EXPECTED);
    expect(after[0]!.keys.filter((key) => key === 'ccag.user.id')).toHaveLength(1);
    expect(after[0]!.items).toEqual(before!.items);
    expect(after[0]!.items).toEqual(ITEMS[signal]);
  });

  test('gzip: inflated, enriched, forwarded uncompressed', async () => {
    const original = await otlpRequest(signal, 'protobuf');
    const result = await enrichPayload({ signal, encoding: 'protobuf', compression: 'gzip', body: gzipSync(original) }, ATTRIBUTES, 1 << 20);
    if (!('bytes' in result)) throw new Error(`refused: ${JSON.stringify(result)}`);
    expect(decodeOtlp(signal, CONTENT_TYPES.protobuf, result.bytes)[0]!.attributes).toMatchObject(EXPECTED);
  });
});

describe('protobuf at the wire level', () => {
  const keyValue = (key: string, value: string) => new MessageWriter().field(1, Buffer.from(key)).field(2, new MessageWriter().field(1, Buffer.from(value)));
  const resource = (...pairs: Array<[string, string]>) => pairs.reduce((writer, [k, v]) => writer.field(1, keyValue(k, v)), new MessageWriter());

  test('several resources, one without a Resource, one with two (protobuf merges them): each ends with exactly one, enriched', () => {
    const scope = new MessageWriter().field(2, new MessageWriter().field(1, Buffer.from('claude_code.cost.usage')));
    const request = new MessageWriter()
      .field(1, new MessageWriter().field(1, resource(['service.name', 'a'])).field(2, scope))
      .field(1, new MessageWriter().field(2, scope))
      .field(1, new MessageWriter().field(1, resource(['service.name', 'c'])).field(2, scope).field(1, resource(['host.name', 'h'], ['ccag.team.name', 'forged'])))
      .bytes();
    const enriched = enrichProtobuf(request, ATTRIBUTES);
    const decoded = decodeOtlp('metrics', CONTENT_TYPES.protobuf, enriched);
    expect(decoded.map((entry) => entry.attributes)).toEqual([
      { ...EXPECTED, 'service.name': 'a' },
      Object.fromEntries(Object.entries(EXPECTED).filter(([key]) => key !== 'service.name')),
      { ...EXPECTED, 'service.name': 'c', 'host.name': 'h' },
    ]);
    for (const entry of decoded) expect(new Set(entry.keys).size).toBe(entry.keys.length);
    expect(decoded.map((entry) => entry.items)).toEqual([['claude_code.cost.usage'], ['claude_code.cost.usage'], ['claude_code.cost.usage']]);
    for (const entry of fieldsOf(enriched)) {
      expect(fieldsOf(enriched.subarray(entry.valueStart, entry.end)).filter((field) => field.number === 1)).toHaveLength(1);
    }
  });

  test('fields other than the resource are copied byte for byte, unknown ones included', () => {
    const scope = new MessageWriter().field(2, Buffer.from([0x08, 0x96, 0x01, 0xff, 0x00]));
    const schemaUrl = Buffer.from('https://opentelemetry.io/schemas/1.30.0');
    const unknownVarint = Buffer.from([0xa0, 0x06, 0x2a]); // field 100, varint 42
    const entry = new MessageWriter().field(1, resource(['service.name', 'x'])).field(2, scope).field(3, schemaUrl).raw(unknownVarint);
    const enriched = enrichProtobuf(new MessageWriter().field(1, entry).raw(unknownVarint).bytes(), ATTRIBUTES);
    const [outer, trailing] = fieldsOf(enriched);
    expect(Buffer.from(enriched.subarray(trailing!.start, trailing!.end))).toEqual(unknownVarint);
    const inner = enriched.subarray(outer!.valueStart, outer!.end);
    const rest = fieldsOf(inner).filter((field) => field.number !== 1).map((field) => Buffer.from(inner.subarray(field.start, field.end)));
    expect(rest).toEqual([new MessageWriter().field(2, scope).bytes(), new MessageWriter().field(3, schemaUrl).bytes(), unknownVarint]);
  });

  test('bytes that are not protobuf are refused', () => {
    expect(() => enrichProtobuf(Buffer.from([0x0a, 0x05, 0x01]), ATTRIBUTES)).toThrow(MalformedPayload);
    expect(() => enrichProtobuf(Buffer.from('{"resourceMetrics":[]}'), ATTRIBUTES)).toThrow(MalformedPayload);
  });

  test('an empty request (no resources) stays empty', () => {
    expect(enrichProtobuf(Buffer.alloc(0), ATTRIBUTES)).toHaveLength(0);
  });
});

describe('JSON details', () => {
  test('proto field names (resource_spans) are accepted too', () => {
    const body = Buffer.from(JSON.stringify({ resource_spans: [{ resource: { attributes: [] }, scope_spans: [] }] }));
    expect(JSON.parse(enrichJson('traces', body, ATTRIBUTES).toString()).resource_spans[0].resource.attributes).toContainEqual({ key: 'ccag.user.id', value: { stringValue: 'u-1' } });
  });

  test('64-bit integers written as strings (the OTLP/JSON rule) survive exactly', () => {
    const body = Buffer.from(JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', sum: { dataPoints: [{ timeUnixNano: '1767225600123456789', asInt: '9007199254740993' }] } }] }] }] }));
    const point = JSON.parse(enrichJson('metrics', body, ATTRIBUTES).toString()).resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0];
    expect(point).toEqual({ timeUnixNano: '1767225600123456789', asInt: '9007199254740993' });
  });

  test.each([['not json', 'nope'], ['an array', '[]'], ['a list that is not a list', '{"resourceLogs":{}}'], ['a resource that is not an object', '{"resourceLogs":[{"resource":3}]}']])('%s is refused', (_name, text) => {
    expect(() => enrichJson('logs', Buffer.from(text), ATTRIBUTES)).toThrow(MalformedPayload);
  });
});

describe('payload decoding', () => {
  test('content-encoding: gzip or identity (or none); anything else is not read', () => {
    expect([compressionOf(undefined), compressionOf('gzip'), compressionOf(' GZIP '), compressionOf('identity'), compressionOf('br')]).toEqual(['identity', 'gzip', 'gzip', 'identity', undefined]);
  });

  test('a gzip body that inflates past the bound is refused as too large; a broken one as malformed', async () => {
    const bomb = gzipSync(Buffer.alloc(2 << 20));
    expect(bomb.length).toBeLessThan(1 << 20);
    expect(await enrichPayload({ signal: 'metrics', encoding: 'protobuf', compression: 'gzip', body: bomb }, ATTRIBUTES, 1 << 20)).toMatchObject({ refused: 'too_large' });
    expect(await enrichPayload({ signal: 'metrics', encoding: 'protobuf', compression: 'gzip', body: Buffer.from('not gzip') }, ATTRIBUTES, 1 << 20)).toMatchObject({ refused: 'malformed' });
  });

  test('a protobuf body sent as JSON is refused, naming the encoding expected', async () => {
    const result = await enrichPayload({ signal: 'metrics', encoding: 'json', compression: 'identity', body: await otlpRequest('metrics', 'protobuf') }, ATTRIBUTES, 1 << 20);
    expect(result).toMatchObject({ refused: 'malformed', message: expect.stringContaining('OTLP json metrics') });
  });
});
