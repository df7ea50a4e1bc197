/**
 * The search loop for a streaming request, forwarded event by event: each model call's events go
 * to the client as they arrive (never buffered to the end), with block indices renumbered so the
 * calls read as one message. The client gets one `message_start` (the first call's), the search
 * calls as `server_tool_use` blocks, a `web_search_tool_result` block per search once it ran, and
 * one final `message_delta` (the last call's stop reason, every call's usage summed) and
 * `message_stop`.
 */
import { UpstreamStreamError, type MessagesBody, type UpstreamReply } from '../upstreams/types.js';
import { errorOf, type LoopContext } from './loop-context.js';
import { callsClientTools, followUpBody, searchCallsOf } from './model-turn.js';
import { frame, sseEvents } from './sse-events.js';
import { TurnAssembler } from './turn-assembler.js';
import { CallUsage, UsageSum } from './usage-sum.js';

type Json = Record<string, unknown>;

const object = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});

/** How one model call ended, once its stream is over. */
interface CallEnd {
  readonly turn: Json[];
  readonly stopReason: unknown;
  readonly stopSequence: unknown;
  /** Blocks this call added to the client's message. */
  readonly blocks: number;
  /** The upstream sent an `error` event: the client has it, and the message ends there. */
  readonly failed: boolean;
}

export function streamLoop(ctx: LoopContext, first: UpstreamReply, firstBody: MessagesBody): UpstreamReply {
  return { ...first, body: loopEvents(ctx, first, firstBody) };
}

async function* loopEvents(ctx: LoopContext, first: UpstreamReply, firstBody: MessagesBody): AsyncGenerator<Uint8Array> {
  const { session } = ctx;
  const toolName = session.tool.name;
  const sum = new UsageSum();
  let reply = first;
  let body = firstBody;
  /** Blocks the client has been sent: the next call's block 0 gets this index. */
  let offset = 0;
  for (let call = 0; ; call += 1) {
    const usage = new CallUsage();
    const end: CallEnd = yield* forwardCall(reply.body, { offset, firstCall: call === 0, toolName, usage, clientId: (id) => session.clientId(id) });
    sum.add(usage);
    if (end.failed) return;
    offset += end.blocks;
    let stopReason = end.stopReason;
    const calls = searchCallsOf(end.turn, toolName);
    if (stopReason === 'tool_use' && calls.length > 0) {
      const round = await session.round(calls, ctx.signal);
      for (const block of round.clientBlocks) {
        yield frame({ type: 'content_block_start', index: offset, content_block: block });
        yield frame({ type: 'content_block_stop', index: offset });
        offset += 1;
      }
      const clientTools = callsClientTools(end.turn, toolName);
      if (!clientTools && !session.mayContinue()) stopReason = 'end_turn';
      if (!clientTools && session.mayContinue()) {
        body = followUpBody(body, end.turn, round.toolResults);
        reply = await ctx.call(body);
        if (reply.status === 200) continue;
        // Bill what already ran before reporting the failure: the meter reads the usage first.
        yield finalDelta(null, null, sum.usage(session.succeeded));
        const failure = await errorOf(reply);
        throw new UpstreamStreamError(failure.type, failure.message);
      }
    }
    yield finalDelta(stopReason, end.stopSequence, sum.usage(session.succeeded));
    yield frame({ type: 'message_stop' });
    return;
  }
}

function finalDelta(stopReason: unknown, stopSequence: unknown, usage: Json): Uint8Array {
  return frame({ type: 'message_delta', delta: { stop_reason: stopReason ?? null, stop_sequence: stopSequence ?? null }, usage });
}

interface ForwardOptions {
  readonly offset: number;
  readonly firstCall: boolean;
  readonly toolName: string;
  readonly usage: CallUsage;
  readonly clientId: (id: string) => string;
}

/** One model call's stream to the client, holding back what only the last call may send. */
async function* forwardCall(events: AsyncIterable<Uint8Array>, options: ForwardOptions): AsyncGenerator<Uint8Array, CallEnd> {
  const turn = new TurnAssembler();
  let stopReason: unknown = null;
  let stopSequence: unknown = null;
  let highest = -1;
  let failed = false;
  for await (const event of sseEvents(events)) {
    const index = typeof event.index === 'number' ? event.index : 0;
    switch (event.type) {
      case 'message_start':
        options.usage.update(object(event.message).usage);
        if (options.firstCall) yield frame(event);
        break;
      case 'content_block_start': {
        const block = object(event.content_block);
        turn.start(index, block);
        highest = Math.max(highest, index);
        const shown = block.type === 'tool_use' && block.name === options.toolName
          ? { type: 'server_tool_use', id: options.clientId(String(block.id)), name: options.toolName, input: {} }
          : block;
        yield frame({ ...event, index: options.offset + index, content_block: shown });
        break;
      }
      case 'content_block_delta':
        turn.delta(index, object(event.delta));
        yield frame({ ...event, index: options.offset + index });
        break;
      case 'content_block_stop':
        turn.stop(index);
        yield frame({ ...event, index: options.offset + index });
        break;
      case 'message_delta':
        options.usage.update(event.usage);
        stopReason = object(event.delta).stop_reason ?? null;
        stopSequence = object(event.delta).stop_sequence ?? null;
        break;
      case 'message_stop':
        break;
      default:
        // ping and error pass as they are (an error ends the upstream's stream).
        failed ||= event.type === 'error';
        yield frame(event);
    }
  }
  return { turn: turn.blocks(), stopReason, stopSequence, blocks: highest + 1, failed };
}
