/**
 * Finds server-sent-event boundaries in raw bytes and hands over only what the consumer asks
 * for: the payload of a few named events, and the size of the data lines of others. Nothing else
 * is decoded or copied, so the bulk of a stream (text deltas) costs one memchr per line.
 * Chunks may split events, lines and UTF-8 characters at any byte.
 */

/** 'parse': hand over the payload; 'count': report data line sizes; anything unnamed is parsed. */
export type EventInterest = 'parse' | 'count';

/** Event names as bytes, compiled once per consumer type rather than per stream. */
export type EventInterests = ReadonlyArray<{ readonly bytes: Buffer; readonly interest: EventInterest }>;

export function eventInterests(byName: Record<string, EventInterest>): EventInterests {
  return Object.entries(byName).map(([name, interest]) => ({ bytes: Buffer.from(name, 'latin1'), interest }));
}

export interface SseConsumer {
  /** The event's data lines joined by LF, for a 'parse' event or an event with no `event:` line. */
  onEvent(data: Buffer): void;
  /** Byte length of one whole `data:` line (prefix included) of a 'count' event. */
  onCount(lineBytes: number): void;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const LOWER_E = 0x65;
const LOWER_D = 0x64;
const EVENT_FIELD = Buffer.from('event:');
const DATA_FIELD = Buffer.from('data:');
const NEWLINE = Buffer.from('\n');

/** What to do with the line in progress; decided by its first byte. */
const enum Line {
  None,
  Event,
  Data,
  Count,
  Skip,
  /** Starts with CR: a blank line of a CRLF stream if nothing follows. */
  Cr,
}

/**
 * Lines are handled as (buffer, start, end) and event names compared byte by byte: a Buffer
 * view, a native compare or a decoded name per event would cost more than the scan itself.
 */
export class SseScanner {
  private line = Line.None;
  private lineBytes = 0;
  private lineParts: Buffer[] = [];
  private interest: EventInterest | 'skip' | 'unnamed' = 'unnamed';
  private data: Buffer[] = [];

  constructor(
    private readonly names: EventInterests,
    private readonly consumer: SseConsumer,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      if (lf === -1) {
        this.partial(chunk, start, chunk.length);
        return;
      }
      this.complete(chunk, start, lf);
      start = lf + 1;
    }
  }

  /** Ends the stream: a last event cut before its blank line still counts if its data is whole. */
  end(): void {
    if (this.line !== Line.None) this.complete(Buffer.alloc(0), 0, 0);
    this.dispatch();
  }

  private modeFor(first: number): Line {
    if (first === LOWER_E) return Line.Event;
    if (first === CR) return Line.Cr;
    if (first !== LOWER_D) return Line.Skip;
    if (this.interest === 'count') return Line.Count;
    return this.interest === 'skip' ? Line.Skip : Line.Data;
  }

  private partial(chunk: Buffer, start: number, end: number): void {
    if (this.line === Line.None) this.line = this.modeFor(chunk[start]!);
    this.lineBytes += end - start;
    // Kept past this push, so copied: the caller owns the chunk.
    if (this.line === Line.Event || this.line === Line.Data) this.lineParts.push(Buffer.from(chunk.subarray(start, end)));
  }

  private complete(chunk: Buffer, start: number, end: number): void {
    if (this.line === Line.None) {
      if (end === start) return this.dispatch();
      this.line = this.modeFor(chunk[start]!);
    }
    const mode = this.line;
    const bytes = this.lineBytes + end - start;
    this.line = Line.None;
    this.lineBytes = 0;
    if (mode === Line.Count) return this.consumer.onCount(bytes);
    if (mode === Line.Cr) return bytes === 1 ? this.dispatch() : undefined;
    if (mode === Line.Skip) return;
    let line = chunk;
    if (this.lineParts.length > 0) {
      this.lineParts.push(chunk.subarray(start, end));
      line = Buffer.concat(this.lineParts);
      this.lineParts = [];
      start = 0;
      end = line.length;
    }
    if (end > start && line[end - 1] === CR) end -= 1;
    if (mode === Line.Event) this.onEventLine(line, start, end);
    else this.onDataLine(line, start, end);
  }

  private onEventLine(line: Buffer, start: number, end: number): void {
    if (!matches(line, start, end, EVENT_FIELD, true)) return;
    const from = start + EVENT_FIELD.length + (line[start + EVENT_FIELD.length] === SPACE ? 1 : 0);
    this.interest = 'skip';
    for (const { bytes, interest } of this.names) {
      if (matches(line, from, end, bytes, false)) {
        this.interest = interest;
        return;
      }
    }
  }

  private onDataLine(line: Buffer, start: number, end: number): void {
    if (!matches(line, start, end, DATA_FIELD, true)) return;
    const from = start + DATA_FIELD.length + (line[start + DATA_FIELD.length] === SPACE ? 1 : 0);
    if (this.data.length > 0) this.data.push(NEWLINE);
    // Held until the blank line, which may come in a later chunk.
    this.data.push(Buffer.from(line.subarray(from, end)));
  }

  private dispatch(): void {
    if (this.data.length > 0) {
      const data = this.data.length === 1 ? this.data[0]! : Buffer.concat(this.data);
      this.data.length = 0;
      this.consumer.onEvent(data);
    }
    this.interest = 'unnamed';
  }
}

/** Whether line[start, end) equals `bytes`, or only begins with it when `prefix`. */
function matches(line: Buffer, start: number, end: number, bytes: Buffer, prefix: boolean): boolean {
  const length = end - start;
  if (prefix ? length < bytes.length : length !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (line[start + i] !== bytes[i]) return false;
  return true;
}
