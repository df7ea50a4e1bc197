/**
 * An HTTP/1.1 exchange over a bare TCP socket, for what fetch cannot do: send headers and stop,
 * trickle a body, pipeline a second request, or send headers larger than a server accepts.
 */
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  readonly socket: Socket;
  write(text: string | Buffer): void;
  /** Everything the server sent until it closed the connection (or `timeoutMs` passed). */
  closed(timeoutMs?: number): Promise<{ text: string; closed: boolean; elapsedMs: number }>;
}

export async function rawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const startedAt = Date.now();
  let text = '';
  let ended = false;
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const end = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  // A reset after the server's answer is still an answer; the test reads what arrived.
  socket.on('error', () => {});
  void end.then(() => (ended = true));
  return {
    socket,
    write: (data) => void socket.write(data),
    async closed(timeoutMs = 10_000) {
      await Promise.race([end, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
      const elapsedMs = Date.now() - startedAt;
      if (!ended) socket.destroy();
      return { text, closed: ended, elapsedMs };
    },
  };
}

/** The status and JSON body of the first response in a raw exchange. */
export function firstResponse(text: string): { status: number; headers: string; body: unknown } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  const split = text.indexOf('\r\n\r\n');
  const headers = text.slice(0, split).toLowerCase();
  const length = Number(/content-length: (\d+)/.exec(headers)?.[1] ?? -1);
  const rest = text.slice(split + 4);
  const bodyText = length >= 0 ? rest.slice(0, length) : rest;
  return { status, headers, body: bodyText ? (JSON.parse(bodyText) as unknown) : undefined };
}
