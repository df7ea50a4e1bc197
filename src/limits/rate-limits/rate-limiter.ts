/**
 * The rate-limit gate, first in the governor: requests per minute, tokens per minute and
 * concurrent requests of the caller's key, user and team, each limit that applies checked and
 * taken together (the strictest refuses). Tokens are charged with the input estimate at admission
 * and, when the request ends, replaced by the billed input + output counted at that moment; a
 * concurrency slot is held until the request ends. If the counters cannot be reached (Redis down), requests pass: rate limits protect
 * capacity, and refusing everyone would be the outage they exist to prevent.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError } from '../../errors.js';
import type { Principal } from '../../identity/authenticator.js';
import { OPEN_ADMISSION, type Gate } from '../governor.js';
import type { AdmitResult, LimitKind, LimitLine, RateLimitBackend } from './backend.js';
import { rateLimitHeaders, refusalHeaders } from './headers.js';
import type { SubjectType } from './overrides.repo.js';
import { LIMIT_KINDS, type RateLimitOverrides } from './overrides.service.js';

export interface RateLimiterDeps {
  readonly backend: RateLimitBackend;
  readonly overrides: Pick<RateLimitOverrides, 'limitsFor'>;
  /** How long a slot counts if its request never ends (its replica died). */
  readonly slotTtlMs: number;
  readonly log: Pick<Logger, 'warn'>;
  /** Told of every refusal (for `ccag.rate_limits.total`, and the `rate_limit_hit` notification). */
  readonly onRefused?: (hit: RateLimitHit) => void;
  /** Told of every decision on a request some rate limit applies to (for `ccag.rate_limit_decisions.total`). */
  readonly onDecision?: (allowed: boolean) => void;
}

/** One refusal: whose limit (the refused subject, not always the caller's key), which, and when. */
export interface RateLimitHit {
  readonly scope: SubjectType;
  readonly subjectId: string;
  readonly kind: LimitKind;
  readonly limit: number;
  readonly principal: Principal;
  readonly at: number;
}

const KIND_WORDS: Record<LimitKind, string> = { rpm: 'requests per minute', tpm: 'tokens per minute', concurrency: 'concurrent requests' };
const SCOPE_WORDS: Record<SubjectType, string> = { key: 'your key', user: 'your account', team: 'your team' };

function subjectsOf(principal: Principal): { type: SubjectType; id: string }[] {
  const subjects: { type: SubjectType; id: string }[] = [];
  if (principal.keyId) subjects.push({ type: 'key', id: principal.keyId });
  subjects.push({ type: 'user', id: principal.userId });
  if (principal.teamId) subjects.push({ type: 'team', id: principal.teamId });
  return subjects;
}

function refusalMessage(line: LimitLine, scope: SubjectType, retryAfterSeconds: number): string {
  const wait = line.kind === 'concurrency' ? 'retry when one of them finishes' : `retry in ${retryAfterSeconds} s`;
  return `Rate limit: ${line.limit} ${KIND_WORDS[line.kind]} for ${SCOPE_WORDS[scope]}; ${wait}.`;
}

export function createRateLimiter(deps: RateLimiterDeps): Gate {
  return {
    async admit(request) {
      const lines: LimitLine[] = [];
      const owners: { type: SubjectType; id: string }[] = [];
      const tokens = Math.max(1, Math.round(request.estimatedInputTokens));
      for (const subject of subjectsOf(request.principal)) {
        const limits = deps.overrides.limitsFor(subject.type, subject.id);
        for (const kind of LIMIT_KINDS) {
          const limit = limits[kind];
          if (limit === null) continue;
          lines.push({ key: `${kind}:${subject.type}:${subject.id}`, kind, limit, amount: kind === 'tpm' ? tokens : 1 });
          owners.push(subject);
        }
      }
      if (lines.length === 0) return OPEN_ADMISSION;

      const id = randomUUID();
      let result: AdmitResult;
      try {
        result = await deps.backend.admit(id, lines, request.now, deps.slotTtlMs);
      } catch (error) {
        deps.log.warn({ err: error }, 'rate-limit counters unreachable: request admitted without rate limits');
        deps.onDecision?.(true);
        return OPEN_ADMISSION;
      }
      deps.onDecision?.(result.ok);
      if (!result.ok) {
        const line = lines[result.refusedIndex]!;
        const owner = owners[result.refusedIndex]!;
        const scope = owner.type;
        deps.onRefused?.({ scope, subjectId: owner.id, kind: line.kind, limit: line.limit, principal: request.principal, at: request.now });
        const headers = refusalHeaders(line, result.retryAfterMs, request.now);
        throw new ApiError('rate_limited', refusalMessage(line, scope, Number(headers['retry-after'])), { headers });
      }

      let ended = false;
      const end = (what: string, work: () => Promise<void>) => {
        if (ended) return;
        ended = true;
        work().catch((error: unknown) => deps.log.warn({ err: error }, `rate-limit ${what} failed`));
      };
      return {
        headers: rateLimitHeaders(lines, result.used, request.now),
        capped: false,
        settle: (usage) => end('settlement', () => deps.backend.finish(id, lines, Math.max(0, Math.round(usage.tokens)), Date.now())),
        release: () => end('release', () => deps.backend.release(id, lines)),
      };
    },
  };
}
