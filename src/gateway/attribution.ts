/**
 * Who a request is attributed to beyond its credential (docs/attribution.md): the Claude Code
 * session, the agent within it (subagents send their own id and their parent's) and the billing
 * group the client tagged it with. Every value is client-controlled and lands in an indexed ledger
 * column and in report URLs, so each is bounded in length and charset; a value outside them is
 * dropped rather than trimmed into a different, colliding id.
 */
import type { Attribution } from '../spend/ledger-row.js';
import type { MessagesBody } from '../upstreams/types.js';

/** Ids Claude Code sends are UUIDs or short slugs. */
const ATTRIBUTION_VALUE = /^[A-Za-z0-9._:@+-]{1,128}$/;

/** The value when it is one header or string within the bounds, else null. */
export function attributionValue(value: unknown): string | null {
  return typeof value === 'string' && ATTRIBUTION_VALUE.test(value) ? value : null;
}

/**
 * The Claude Code session: the `x-claude-code-session-id` header, else `metadata.user_id`, which
 * newer clients send as a JSON string holding `session_id` and older ones as
 * `user_<hash>_account_<uuid>_session_<uuid>`.
 */
export function sessionIdOf(headers: Record<string, string | string[] | undefined>, body: MessagesBody): string | null {
  const header = attributionValue(headers['x-claude-code-session-id']);
  if (header !== null) return header;
  const metadata = body.metadata as { user_id?: unknown } | undefined;
  const userId = metadata?.user_id;
  if (typeof userId !== 'string') return null;
  if (userId.startsWith('{')) {
    try {
      return attributionValue((JSON.parse(userId) as { session_id?: unknown }).session_id);
    } catch {
      return null;
    }
  }
  return /_session_([0-9a-f-]{8,128})/i.exec(userId)?.[1] ?? null;
}

/**
 * A billing group as Anthropic's request tags accept one (the rule Claude Code 2.1.197 applies
 * before sending): up to 64 of these characters, not starting with `anthropic`.
 */
const BILLING_GROUP = /^(?!anthropic)[A-Za-z0-9_.:/=+@-]{1,64}$/i;

/** The key of `tags` that names the billing group unless the deployment chose another (CCAG_BILLING_GROUP_TAG_KEY). */
export const DEFAULT_BILLING_GROUP_TAG_KEY = 'billing_group';

/** `tags: {"billing_group": "…"}` on the Messages body (the `request-tags-2026-08-21` beta). */
function billingGroupOf(body: MessagesBody, key: string): string | null {
  const tags = body.tags;
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags) || !Object.hasOwn(tags, key)) return null;
  const value = (tags as Record<string, unknown>)[key];
  return typeof value === 'string' && BILLING_GROUP.test(value) ? value : null;
}

export function attributionOf(headers: Record<string, string | string[] | undefined>, body: MessagesBody, billingGroupTagKey = DEFAULT_BILLING_GROUP_TAG_KEY): Attribution {
  return {
    sessionId: sessionIdOf(headers, body),
    agentId: attributionValue(headers['x-claude-code-agent-id']),
    parentAgentId: attributionValue(headers['x-claude-code-parent-agent-id']),
    billingGroup: billingGroupOf(body, billingGroupTagKey),
  };
}
