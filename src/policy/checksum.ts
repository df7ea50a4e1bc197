/**
 * The managed-settings checksum of Claude Code's gateway protocol (spec §13): `sha256:` + the hex
 * SHA-256 of the settings as JSON with keys sorted at every level and no whitespace. Claude Code
 * compares it with what it holds (If-None-Match, and the hint header it sends on inference), so it
 * must not depend on the order in which an admin typed the keys or the database returned them.
 */
import { createHash } from 'node:crypto';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** JSON with object keys sorted (by UTF-16 code unit, like Array.prototype.sort) at every depth, no whitespace. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function settingsChecksum(settings: Record<string, JsonValue>): string {
  return `sha256:${createHash('sha256').update(canonicalJson(settings), 'utf8').digest('hex')}`;
}

/**
 * The `uuid` of a managed-settings answer: derived from the checksum (same document, same uuid on
 * every replica and restart), shaped as an RFC 4122 name-based UUID (version 5 bits).
 */
export function settingsUuid(checksum: string): string {
  const bytes = createHash('sha1').update(checksum).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The ETag for a checksum, quoted as RFC 9110 requires. */
export const etagOf = (checksum: string): string => `"${checksum}"`;

/**
 * Whether an If-None-Match header names this checksum: `*`, a list, weak tags (`W/"…"`) and a
 * bare unquoted checksum (some clients send the value they stored from the body) all count.
 */
export function ifNoneMatchHits(header: string | string[] | undefined, checksum: string): boolean {
  if (header === undefined) return false;
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((part) => part.trim());
  return values.some((tag) => tag === '*' || tag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1') === checksum);
}
