/**
 * Stage 2b, check policy (after authenticate and parse, before admit): a model the caller's fleet
 * policy does not allow is refused with 400 `invalid_request_error` in the client's own format,
 * before it costs a reservation; and the managed-settings checksum the Claude Code session reports
 * (`x-claude-code-managed-settings-checksum`, with CLAUDE_CODE_GATEWAY_HINT_HEADERS=1) is noted
 * for the drift report. Both answer from memory (src/policy/).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../../identity/authenticator.js';

export const SETTINGS_CHECKSUM_HEADER = 'x-claude-code-managed-settings-checksum';

/** What the data plane needs from the policy area. */
export interface ModelPolicy {
  /** Throws the 400 naming the model and the refusing policy. */
  assertModelAllowed(principal: Principal, model: string): void;
  allows(principal: Principal, model: string): boolean;
  observeSession(sessionId: string, userId: string, checksum: string | null, now: number): void;
}

export function checkPolicy(policy: ModelPolicy | undefined, principal: Principal, model: string, session: { id: string | null; headers: IncomingHttpHeaders; now: number }): void {
  if (!policy) return;
  policy.assertModelAllowed(principal, model);
  if (session.id === null) return;
  const reported = session.headers[SETTINGS_CHECKSUM_HEADER];
  policy.observeSession(session.id, principal.userId, typeof reported === 'string' && reported.length > 0 ? reported.slice(0, 200) : null, session.now);
}
