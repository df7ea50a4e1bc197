/**
 * Anthropic SSE bytes → whole events, whatever the chunking: an event may be split across chunks
 * and a chunk may hold several. Only a partial tail is kept between chunks (one copy per chunk
 * that ends mid-event), and lines are found with `indexOf`, never byte by byte.
 */

export interface SseEvent {
  /** The `event:` name, or '' when the event had none. */
  readonly name: string;
  /** The `data:` payload (lines joined with `\n`), bytes as received. */
  readonly data: Buffer;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

function fieldValue(line: Buffer, prefixLength: number): Buffer {
  // "data: x" and "data:x" are both valid SSE; one leading space belongs to the syntax.
  const start = line[prefixLength] === 0x20 ? prefixLength + 1 : prefixLength;
  return line.subarray(start);
}

export class SseEventSplitter {
  private tail: Buffer = EMPTY;
  private name = '';
  private data: Buffer[] = [];

  /** The events completed by this chunk, in order. */
  push(chunk: Uint8Array): SseEvent[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const input = this.tail.length === 0 ? bytes : Buffer.concat([this.tail, bytes]);
    const events: SseEvent[] = [];
    let start = 0;
    for (let newline = input.indexOf(LF, start); newline !== -1; newline = input.indexOf(LF, start)) {
      const end = newline > start && input[newline - 1] === CR ? newline - 1 : newline;
      const event = this.line(input.subarray(start, end));
      if (event) events.push(event);
      start = newline + 1;
    }
    // The tail may view `bytes`, which the caller owns and may reuse: copy it.
    this.tail = start === input.length ? EMPTY : Buffer.from(input.subarray(start));
    return events;
  }

  /** An event still open when the stream ended without its blank line, if any. */
  end(): SseEvent | undefined {
    if (this.tail.length > 0) this.line(this.tail);
    this.tail = EMPTY;
    return this.line(EMPTY);
  }

  private line(line: Buffer): SseEvent | undefined {
    if (line.length === 0) {
      if (this.data.length === 0) {
        this.name = '';
        return undefined;
      }
      const data = this.data.length === 1 ? (this.data[0] as Buffer) : Buffer.concat(this.data.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from('\n'), part])));
      const event = { name: this.name, data };
      this.name = '';
      this.data = [];
      return event;
    }
    if (line.subarray(0, 5).toString('latin1') === 'data:') {
      // Copied: `line` views the caller's chunk, and the event may complete in a later one.
      this.data.push(Buffer.from(fieldValue(line, 5)));
    } else if (line.subarray(0, 6).toString('latin1') === 'event:') {
      this.name = fieldValue(line, 6).toString('utf8').trim();
    }
    // Comments (`:`), `id:` and `retry:` lines mean nothing to a Bedrock client.
    return undefined;
  }
}
