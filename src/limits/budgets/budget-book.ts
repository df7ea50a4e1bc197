/**
 * Every budget, in memory, so admitting a request reads no database: loaded once, then polled
 * for rows other replicas changed (a TableMirror over `updated_at`, src/store/table-mirror.ts); this replica's own writes are
 * applied at once. `applicable` answers which budgets a request counts against (spec §4): the
 * user's (their own, else their team's per-member default, else the global default), their
 * team's own, and the key's.
 */
import type { Principal } from '../../identity/authenticator.js';
import type { SpendSubject } from '../../spend/spend-totals.js';
import { TableMirror } from '../../store/table-mirror.js';
import type { BudgetPeriod } from '../budget-period.js';
import { customRules, type ThresholdRule } from '../budget-policy.js';
import type { BudgetRow, BudgetsRepo, SubjectType } from './budgets.repo.js';

export interface Budget {
  readonly id: string;
  readonly subjectType: SubjectType;
  readonly subjectId: string;
  readonly amountMicros: number;
  readonly period: BudgetPeriod;
  readonly timeZone: string;
  readonly policy: string;
  readonly rules: readonly ThresholdRule[];
  /** The admission rule of its cap: strict admits only requests whose worst case fits (docs/budgets.md). */
  readonly strict: boolean;
}

/** A budget as it applies to one request: whose spend it counts. */
export interface AppliedBudget {
  readonly budget: Budget;
  readonly subject: SpendSubject;
}

export function decodeBudget(row: BudgetRow): Budget {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    amountMicros: row.amount_micros,
    period: row.period,
    timeZone: row.time_zone,
    policy: row.policy,
    rules: customRules.parse(JSON.parse(row.rules)),
    // PostgreSQL's driver may hand integers back as strings.
    strict: Number(row.strict) === 1,
  };
}

const subjectKey = (type: SubjectType, id: string) => `${type}:${id}`;

export class BudgetBook extends TableMirror<BudgetRow> {
  private readonly bySubject = new Map<string, Budget>();

  constructor(repo: Pick<BudgetsRepo, 'changedSince'>) {
    super((since) => repo.changedSince(since), (row) => row.updated_at);
  }

  /** Takes a row in (or out, when deleted); the admin API calls it after its own writes. */
  apply(row: BudgetRow): void {
    const key = subjectKey(row.subject_type, row.subject_id);
    if (row.deleted_at !== null) this.bySubject.delete(key);
    else this.bySubject.set(key, decodeBudget(row));
  }

  /** The budget a user's spend counts against: their own, else their team's per-member default, else the global default. */
  userBudget(userId: string, teamId: string | null): Budget | undefined {
    return (
      this.bySubject.get(subjectKey('user', userId)) ??
      (teamId ? this.bySubject.get(subjectKey('team_default', teamId)) : undefined) ??
      this.bySubject.get(subjectKey('global_default', ''))
    );
  }

  /** A team's or a key's own budget. */
  own(type: 'team' | 'key', id: string): Budget | undefined {
    return this.bySubject.get(subjectKey(type, id));
  }

  applicable(principal: Pick<Principal, 'userId' | 'teamId' | 'keyId'>): AppliedBudget[] {
    const applied: AppliedBudget[] = [];
    const userBudget = this.userBudget(principal.userId, principal.teamId);
    if (userBudget) applied.push({ budget: userBudget, subject: { type: 'user', id: principal.userId } });
    const teamBudget = principal.teamId ? this.own('team', principal.teamId) : undefined;
    if (teamBudget) applied.push({ budget: teamBudget, subject: { type: 'team', id: principal.teamId! } });
    const keyBudget = principal.keyId ? this.own('key', principal.keyId) : undefined;
    if (keyBudget) applied.push({ budget: keyBudget, subject: { type: 'key', id: principal.keyId! } });
    return applied;
  }
}
