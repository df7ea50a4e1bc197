/**
 * fast-check arbitraries for server-sent-event streams, shared by the property tests of every SSE
 * reader (the spend meter's scanner, the Bedrock encoder's splitter): valid streams with the
 * events they are made of, SSE-looking garbage, and arbitrary ways to cut bytes into chunks.
 */
import fc from 'fast-check';

export interface GeneratedEvent {
  /** The `event:` name, or undefined for an event without one. */
  readonly name: string | undefined;
  /** Values of the `data:` lines, in order (none: an event that carries nothing). */
  readonly data: readonly string[];
}

export interface GeneratedStream {
  readonly events: readonly GeneratedEvent[];
  /** Each event's `data:` lines as written (field name included, line end excluded). */
  readonly dataLines: readonly (readonly string[])[];
  /** CRLF line ends rather than LF. */
  readonly crlf: boolean;
  /** The last event has its closing blank line (a stream may be cut before it). */
  readonly terminated: boolean;
  readonly bytes: Buffer;
}

/** Any text that fits on one line: every code point but CR and LF. */
export const lineText = (maxLength = 40) => fc.string({ unit: 'binary', maxLength }).map((text) => text.replace(/[\r\n]/g, ' '));

/** Lines an SSE reader must skip: comments, ids, retries, unknown fields. */
const ignoredLine = fc.oneof(
  lineText(20).map((text) => `:${text}`),
  fc.nat().map((id) => `id: ${id}`),
  fc.nat().map((ms) => `retry: ${ms}`),
  fc.stringMatching(/^[a-z]{1,8}: ?[a-z]{0,8}$/).filter((line) => !line.startsWith('data:') && !line.startsWith('event:')),
);

/**
 * A valid stream of the given events. Data lines are written with or without the optional space
 * after the colon (the value keeps any further leading space), and other lines are sprinkled in.
 */
export function sseStream(events: fc.Arbitrary<GeneratedEvent>, options: { maxEvents?: number } = {}): fc.Arbitrary<GeneratedStream> {
  const written = events.chain((event) =>
    fc.record({
      event: fc.constant(event),
      spaced: fc.array(fc.boolean(), { minLength: event.data.length, maxLength: event.data.length }),
      extra: fc.option(ignoredLine, { freq: 4 }),
    }),
  );
  return fc.record({ parts: fc.array(written, { maxLength: options.maxEvents ?? 12 }), crlf: fc.boolean(), terminated: fc.boolean() }).map(({ parts, crlf, terminated }) => {
    const eol = crlf ? '\r\n' : '\n';
    // Without the space, a value that starts with one would lose it: write the space then.
    const dataLines = parts.map(({ event, spaced }) => event.data.map((value, i) => (spaced[i] || value.startsWith(' ') ? `data: ${value}` : `data:${value}`)));
    const blocks = parts.map(({ event, extra }, i) => {
      const lines = [...(extra === null ? [] : [extra]), ...(event.name === undefined ? [] : [`event: ${event.name}`]), ...dataLines[i]!];
      return lines.map((line) => line + eol).join('');
    });
    const text = blocks.join(eol) + (terminated && blocks.length > 0 ? eol : '');
    return { events: parts.map(({ event }) => event), dataLines, crlf, terminated, bytes: Buffer.from(text, 'utf8') };
  });
}

/** An event named from `names` (or unnamed), with up to three data lines of any text. */
export function sseEvent(names: readonly string[]): fc.Arbitrary<GeneratedEvent> {
  return fc.record({
    name: fc.option(fc.oneof(fc.constantFrom(...names), fc.stringMatching(/^[a-z_]{1,16}$/)), { freq: 6 }).map((name) => name ?? undefined),
    data: fc.array(lineText(), { maxLength: 3 }),
  });
}

/** Bytes that look like SSE without being valid: fields, prefixes of fields, stray CRs, blank lines. */
export const sseGarbage: fc.Arbitrary<Buffer> = fc
  .array(
    fc.oneof(
      fc.constantFrom('event: message_start', 'event: content_block_delta', 'event:error', 'event: ping', 'data: {"type":"message_delta"}', 'data:', 'data: ', 'event', 'data', 'e', 'd', ':', '\n', '\r\n', '\r', '\n\n', ' '),
      lineText(12),
      fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));

/** Where to cut a byte string: positions taken modulo its length plus one. */
export const cuts = fc.array(fc.nat(), { maxLength: 24 });

/** `bytes` cut at `positions` into chunks, each a copy (as a socket would deliver them). */
export function splitAt(bytes: Uint8Array, positions: readonly number[]): Buffer[] {
  const at = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    chunks.push(Buffer.from(bytes.subarray(from, to)));
    from = to;
  }
  return chunks;
}
