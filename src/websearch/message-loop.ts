/**
 * The search loop for a non-streaming request: call the model, run the searches its turn asks
 * for, call again with the results, until it answers; then one Anthropic message for the client
 * holding every turn's blocks, the searches as server tool blocks, and the usage of all calls.
 */
import { once } from '../upstreams/bedrock/replies.js';
import type { MessagesBody, UpstreamReply } from '../upstreams/types.js';
import { readAll, type LoopContext } from './loop-context.js';
import { callsClientTools, clientBlockOf, followUpBody, searchCallsOf } from './model-turn.js';
import { CallUsage, UsageSum } from './usage-sum.js';

type Json = Record<string, unknown>;

const encoder = new TextEncoder();

export async function messageLoop(ctx: LoopContext, first: UpstreamReply, firstBody: MessagesBody): Promise<UpstreamReply> {
  const { session } = ctx;
  const toolName = session.tool.name;
  const content: unknown[] = [];
  const sum = new UsageSum();
  let reply = first;
  let body = firstBody;
  let message: Json;
  let stopReason: unknown;
  for (;;) {
    message = JSON.parse((await readAll(reply.body)).toString('utf8')) as Json;
    const usage = new CallUsage();
    usage.update(message.usage);
    sum.add(usage);
    const blocks = Array.isArray(message.content) ? (message.content as unknown[]) : [];
    for (const block of blocks) content.push(clientBlockOf(block, toolName, (id) => session.clientId(id)));
    stopReason = message.stop_reason;
    const calls = searchCallsOf(blocks, toolName);
    if (stopReason !== 'tool_use' || calls.length === 0) break;
    const round = await session.round(calls, ctx.signal);
    content.push(...round.clientBlocks);
    if (callsClientTools(blocks, toolName)) break;
    if (!session.mayContinue()) {
      stopReason = 'end_turn';
      break;
    }
    body = followUpBody(body, blocks, round.toolResults);
    reply = await ctx.call(body);
    // A later call's failure is the request's answer (nothing has reached the client yet), and
    // the calls before it are billed with it.
    if (reply.status !== 200) return { ...reply, priorUsage: sum.prior(session.succeeded) };
  }
  const answer = { ...message, content, stop_reason: stopReason, usage: sum.usage(session.succeeded) };
  return { ...first, body: once(encoder.encode(JSON.stringify(answer))) };
}
