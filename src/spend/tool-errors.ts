/**
 * Which tools failed, as the client reports it: Claude Code sends a tool's outcome back as a
 * `tool_result` block (with `is_error: true` when it failed) in the user message that follows
 * the assistant message holding the `tool_use`. Only the last two messages are read, since the
 * earlier ones were already seen (and recorded) by the requests that carried them last. Pure and
 * tolerant of any shape: whatever is not as expected is skipped, never thrown on.
 */

type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/** A message's content blocks; string content (plain text) has none. */
function blocksOf(message: unknown, role: 'user' | 'assistant'): unknown[] {
  const m = object(message);
  return m?.role === role && Array.isArray(m.content) ? m.content : [];
}

/** The names of the tools whose results in the last user message are errors, one per failed result. */
export function toolErrorsOf(body: unknown): string[] {
  const messages = object(body)?.messages;
  if (!Array.isArray(messages) || messages.length < 2) return [];
  const failedIds: string[] = [];
  for (const value of blocksOf(messages[messages.length - 1], 'user')) {
    const block = object(value);
    if (block?.type === 'tool_result' && block.is_error === true && typeof block.tool_use_id === 'string') failedIds.push(block.tool_use_id);
  }
  // Most requests carry no failed result: the assistant message is only read when one does.
  if (failedIds.length === 0) return [];
  const names = new Map<string, string>();
  for (const value of blocksOf(messages[messages.length - 2], 'assistant')) {
    const block = object(value);
    if (block?.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string') names.set(block.id, block.name);
  }
  // A result whose call is not in the previous message cannot be attributed to a tool: skipped.
  return failedIds.flatMap((id) => names.get(id) ?? []);
}
