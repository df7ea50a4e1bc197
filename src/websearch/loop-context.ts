/** What a search loop needs for one client request: its searches and a way to call the model again. */
import type { MessagesBody, UpstreamReply } from '../upstreams/types.js';
import type { SearchSession } from './search-round.js';

export interface LoopContext {
  readonly session: SearchSession;
  /** The client's signal: a search or model call in flight stops when the client leaves. */
  readonly signal: AbortSignal;
  /** One model call with this body, through the wrapped upstream. */
  readonly call: (body: MessagesBody) => Promise<UpstreamReply>;
}

export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** An error reply's Anthropic error type and message, for a failure in the middle of the loop. */
export async function errorOf(reply: UpstreamReply): Promise<{ type: string; message: string }> {
  try {
    const body = JSON.parse((await readAll(reply.body)).toString('utf8')) as { error?: { type?: unknown; message?: unknown } };
    return { type: typeof body.error?.type === 'string' ? body.error.type : 'api_error', message: typeof body.error?.message === 'string' ? body.error.message : `The upstream answered HTTP ${reply.status}.` };
  } catch {
    return { type: 'api_error', message: `The upstream answered HTTP ${reply.status}.` };
  }
}
