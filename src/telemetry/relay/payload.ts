/**
 * From the bytes a client posted to the bytes a collector receives: gunzip when the client
 * compressed (OTLP/HTTP exporters gzip by default in several SDKs), then enrich in the request's
 * own encoding. A gzip body is inflated under the same byte bound as the queue, so a small
 * compressed request cannot become a large one in memory.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { enrichJson } from './enrich-json.js';
import { enrichProtobuf } from './enrich-protobuf.js';
import { MalformedPayload } from './protobuf-wire.js';
import type { ResourceAttributes } from './resource-attributes.js';
import type { Encoding, Signal } from './signals.js';

const inflate = promisify(gunzip);

export type Compression = 'gzip' | 'identity';

/** The `content-encoding` the relay reads (OTLP/HTTP requires only gzip), or undefined for any other. */
export function compressionOf(header: string | undefined): Compression | undefined {
  const value = header?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip') return 'gzip';
  return undefined;
}

export interface Payload {
  readonly signal: Signal;
  readonly encoding: Encoding;
  readonly compression: Compression;
  readonly body: Buffer;
}

/** A body the client must fix: the relay answers 400 or 413 with `message`. */
export interface Refused {
  readonly refused: 'malformed' | 'too_large';
  readonly message: string;
}

export type Enriched = { readonly bytes: Buffer } | Refused;

async function plainBytes(payload: Payload, maxBytes: number): Promise<Buffer> {
  if (payload.compression === 'identity') return payload.body;
  return inflate(payload.body, { maxOutputLength: maxBytes });
}

export async function enrichPayload(payload: Payload, attributes: ResourceAttributes, maxBytes: number): Promise<Enriched> {
  let plain: Buffer;
  try {
    plain = await plainBytes(payload, maxBytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { refused: 'too_large', message: `The decompressed body exceeds ${maxBytes} bytes.` };
    return { refused: 'malformed', message: 'The body is not valid gzip.' };
  }
  try {
    return { bytes: payload.encoding === 'protobuf' ? enrichProtobuf(plain, attributes) : enrichJson(payload.signal, plain, attributes) };
  } catch (error) {
    if (!(error instanceof MalformedPayload)) throw error;
    return { refused: 'malformed', message: `The body is not an OTLP ${payload.encoding} ${payload.signal} export request: ${error.message}.` };
  }
}
