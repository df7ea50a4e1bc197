/**
 * Just enough of the protobuf wire format to walk a message's fields and write new ones, without
 * a schema: every field is a tag (number and wire type), then a varint, 8 bytes, 4 bytes, or a
 * length-prefixed run of bytes. Bytes the relay does not rewrite are copied as they came.
 */

export class MalformedPayload extends Error {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** One field of a message: `bytes.subarray(start, end)` is the whole field, tag included. */
export interface WireField {
  readonly number: number;
  readonly wireType: number;
  readonly start: number;
  /** Where the value starts: after the tag, and after the length for length-delimited fields. */
  readonly valueStart: number;
  readonly end: number;
}

/** Reads a varint at `pos`; arithmetic (not 32-bit shifts) so lengths and tags above 2^31 stay exact. */
function readVarint(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let index = 0; index < 10; index++) {
    const byte = bytes[pos + index];
    if (byte === undefined) throw new MalformedPayload('truncated varint');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, pos + index + 1];
    scale *= 128;
  }
  throw new MalformedPayload('varint longer than 10 bytes');
}

export function fieldsOf(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(bytes, pos);
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (number === 0) throw new MalformedPayload('field number 0');
    let valueStart = afterTag;
    if (wireType === WIRE_VARINT) pos = readVarint(bytes, afterTag)[1];
    else if (wireType === WIRE_FIXED64) pos = afterTag + 8;
    else if (wireType === WIRE_FIXED32) pos = afterTag + 4;
    else if (wireType === WIRE_LENGTH_DELIMITED) {
      const [length, afterLength] = readVarint(bytes, afterTag);
      valueStart = afterLength;
      pos = afterLength + length;
    } else throw new MalformedPayload(`wire type ${wireType} (groups are not used by OTLP)`);
    if (pos > bytes.length) throw new MalformedPayload('field runs past the end of its message');
    fields.push({ number, wireType, start, valueStart, end: pos });
  }
  return fields;
}

/** Small values come from Buffer's shared pool: a fresh ArrayBuffer per tag measured far slower. */
function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** A message being written: pieces are referenced, not copied, until `bytes()` joins them once. */
export class MessageWriter {
  private readonly pieces: Uint8Array[] = [];
  length = 0;

  /** Bytes already encoded: copied fields, or another writer's message body. */
  raw(bytes: Uint8Array | MessageWriter): this {
    if (bytes instanceof MessageWriter) {
      for (const piece of bytes.pieces) this.raw(piece);
      return this;
    }
    this.pieces.push(bytes);
    this.length += bytes.length;
    return this;
  }

  /** A length-delimited field (a string, bytes, or an embedded message) holding `value`. */
  field(number: number, value: Uint8Array | MessageWriter): this {
    return this.raw(varint(number * 8 + WIRE_LENGTH_DELIMITED)).raw(varint(value.length)).raw(value);
  }

  /** Every byte is written below, so the unzeroed allocation is safe (and Buffer.concat measured several times slower). */
  bytes(): Buffer {
    const joined = Buffer.allocUnsafe(this.length);
    let offset = 0;
    for (const piece of this.pieces) {
      joined.set(piece, offset);
      offset += piece.length;
    }
    return joined;
  }
}
