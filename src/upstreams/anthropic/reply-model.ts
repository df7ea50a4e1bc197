/**
 * An Anthropic reply with the client's model name in it, for requests sent under another name
 * (see client-model.ts). Streams stay streams: only bytes up to the end of `message_start` (the
 * one event naming the model) are held and rewritten, everything after passes through untouched.
 * Error bodies are never edited: they reach the client as the API sent them.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FRAME_END = Buffer.from('\n\n');
/** A first event this large is not a message_start worth holding the stream for. */
const MAX_HELD_BYTES = 64 * 1024;

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not ours to judge: the bytes pass through as they came
  }
  return undefined;
}

/** One SSE frame (without its blank line) with message.model replaced, or undefined if it is another event. */
function renamedMessageStart(frame: string, clientModel: string): string | undefined {
  const lines = frame.split('\n');
  if (!lines.some((line) => line.replace(/\r$/, '') === 'event: message_start')) return undefined;
  const at = lines.findIndex((line) => line.startsWith('data:'));
  const event = at < 0 ? undefined : parseObject(lines[at]!.slice(5));
  if (!event || typeof event.message !== 'object' || event.message === null) return undefined;
  event.message = { ...(event.message as Record<string, unknown>), model: clientModel };
  lines[at] = `data: ${JSON.stringify(event)}`;
  return lines.join('\n');
}

/** The held bytes once their first frame is complete (renamed if it is message_start), else undefined. */
function releaseHead(held: Buffer, clientModel: string): Uint8Array | undefined {
  const end = held.indexOf(FRAME_END);
  if (end < 0) return held.length > MAX_HELD_BYTES ? held : undefined;
  const renamed = renamedMessageStart(held.toString('utf8', 0, end), clientModel);
  return renamed === undefined ? held : Buffer.concat([Buffer.from(renamed), held.subarray(end)]);
}

export function sseWithClientModel(body: AsyncIterable<Uint8Array>, clientModel: string): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const upstream = body[Symbol.asyncIterator]();
      let held: Buffer | undefined = Buffer.alloc(0);
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          // After the first event the upstream iterator is the stream, with no wrapper work per chunk.
          if (held === undefined) return upstream.next();
          for (;;) {
            const step = await upstream.next();
            if (step.done) {
              const rest = held;
              held = undefined;
              return rest.length > 0 ? { done: false, value: rest } : step;
            }
            held = Buffer.concat([held, step.value]);
            const head = releaseHead(held, clientModel);
            if (head !== undefined) {
              held = undefined;
              return { done: false, value: head };
            }
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          // The reader stopped early (client gone): release the upstream connection.
          return (await upstream.return?.()) ?? { done: true, value: undefined };
        },
      };
    },
  };
}

/** A non-streaming Messages body with the client's model name. */
export async function* jsonWithClientModel(body: AsyncIterable<Uint8Array>, clientModel: string): AsyncGenerator<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const message = parseObject(decoder.decode(bytes));
  if (!message || !('model' in message)) {
    yield bytes;
    return;
  }
  message.model = clientModel;
  yield encoder.encode(JSON.stringify(message));
}
