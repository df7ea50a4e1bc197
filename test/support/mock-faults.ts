/**
 * The faults a mock upstream commits on request (`[[fault …]]`, mock-script.ts), in one place so
 * the mock Anthropic API and the mock Bedrock runtime fail the same way on the wire.
 */
import type { ServerResponse } from 'node:http';

/**
 * An SSE frame whose data is cut inside a JSON string: what a buggy proxy or a truncated write
 * upstream produces. The stream goes on after it.
 */
export const MALFORMED_SSE_FRAME = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n';

/**
 * Resets the connection (TCP RST): the peer sees ECONNRESET, not a clean end of the body. After a
 * moment, because a reset discards whatever the peer has not read yet: the bytes written before
 * it are meant to arrive.
 */
export async function resetConnection(res: ServerResponse): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  res.socket?.resetAndDestroy();
}

/**
 * A Bedrock event-stream frame spoiled: `bad-crc` flips a bit of its message CRC (the last four
 * bytes), `truncated-prelude` keeps only 6 of the 12 prelude bytes (the body then ends).
 */
export function corruptFrame(frame: Uint8Array, fault: 'bad-crc' | 'truncated-prelude'): Uint8Array {
  if (fault === 'truncated-prelude') return frame.subarray(0, 6);
  const copy = Uint8Array.from(frame);
  copy[copy.length - 1]! ^= 0x01;
  return copy;
}

/** Writes, then waits while the socket's buffer is full, as a real upstream feels a slow reader. */
export async function writeWithBackpressure(res: ServerResponse, chunk: string | Uint8Array): Promise<void> {
  if (res.write(chunk) || res.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
