/**
 * Managing budgets (admin API): one budget per subject, set (created or replaced), changed and
 * removed; every write reaches this replica's budget book at once and the others' at their next
 * poll. Listing shows what each concrete subject spent this period (the ledger) against its limit,
 * and how many requests it made, from one grouped ledger query per subject type and period.
 */
import { ApiError } from '../../errors.js';
import type { KeysService } from '../../identity/keys.service.js';
import type { TeamsService } from '../../identity/teams.service.js';
import type { UsersService } from '../../identity/users.service.js';
import type { SpendSubject, SpendTotals } from '../../spend/spend-totals.js';
import { isTimeZone, periodWindow, type BudgetPeriod } from '../budget-period.js';
import { customRules, PRESETS, type PresetName, type ThresholdRule } from '../budget-policy.js';
import { decodeBudget, type Budget, type BudgetBook } from './budget-book.js';
import type { BudgetRow, BudgetsRepo, SubjectType } from './budgets.repo.js';
import { totalsInWindows } from './window-totals.js';

export interface BudgetSettings {
  readonly amountMicros: number;
  readonly period: BudgetPeriod;
  /** Default: the gateway's budget time zone. */
  readonly timeZone?: string;
  /** A preset, or omitted with `rules` for a custom policy; neither: standard. */
  readonly policy?: PresetName;
  readonly rules?: readonly ThresholdRule[];
  /** Strict admission (a request's worst case must fit); default false. */
  readonly strict?: boolean;
}

export interface BudgetWithSpend {
  readonly budget: Budget;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** This period's window; spend and requests are null for defaults (they have no one subject). */
  readonly window: { start: number; end: number };
  readonly spentMicros: number | null;
  readonly requests: number | null;
}

export interface BudgetsServiceDeps {
  readonly repo: BudgetsRepo;
  readonly book: Pick<BudgetBook, 'apply'>;
  readonly spend: SpendTotals;
  readonly users: Pick<UsersService, 'get'>;
  readonly teams: Pick<TeamsService, 'get'>;
  readonly keys: Pick<KeysService, 'list'>;
  readonly defaultTimeZone: string;
  readonly clock?: () => number;
}

export function createBudgetsService(deps: BudgetsServiceDeps) {
  const clock = deps.clock ?? Date.now;

  async function assertSubject(type: SubjectType, id: string): Promise<void> {
    if (type === 'global_default') return;
    if (type === 'user') await deps.users.get(id);
    else if (type === 'team' || type === 'team_default') await deps.teams.get(id);
    else if (!(await deps.keys.list({ includeRevoked: true })).some((key) => key.id === id)) throw new ApiError('not_found', `no key with id ${id}`);
  }

  function policyOf(settings: Pick<BudgetSettings, 'policy' | 'rules'>): { policy: string; rules: string } {
    if (settings.policy && settings.rules) throw new ApiError('invalid_request', 'give either policy (a preset) or rules (a custom policy), not both');
    if (settings.rules) return { policy: 'custom', rules: JSON.stringify(customRules.parse(settings.rules)) };
    const policy = settings.policy ?? 'standard';
    return { policy, rules: JSON.stringify(PRESETS[policy]) };
  }

  function timeZoneOf(zone: string | undefined): string {
    const timeZone = zone ?? deps.defaultTimeZone;
    if (!isTimeZone(timeZone)) throw new ApiError('invalid_request', `time_zone: unknown IANA time zone "${timeZone}"`);
    return timeZone;
  }

  /** The ledger subject whose spend a budget counts; none for the defaults. */
  const spendSubjectOf = ({ subjectType, subjectId }: Budget): SpendSubject | undefined =>
    subjectType === 'user' || subjectType === 'team' || subjectType === 'key' ? { type: subjectType, id: subjectId } : undefined;

  async function withSpend(rows: readonly BudgetRow[]): Promise<BudgetWithSpend[]> {
    const now = clock();
    const decoded = rows.map((row) => {
      const budget = decodeBudget(row);
      return { row, budget, subject: spendSubjectOf(budget), window: periodWindow(budget.period, budget.timeZone, now) };
    });
    const measured = decoded.filter((entry) => entry.subject !== undefined);
    const totals = await totalsInWindows(deps.spend, measured.map(({ subject, window }) => ({ subject: subject!, window })));
    const totalsOf = new Map(measured.map((entry, index) => [entry.row.id, totals[index]!]));
    return decoded.map(({ row, budget, window }) => {
      const spent = totalsOf.get(row.id);
      return { budget, createdAt: row.created_at, updatedAt: row.updated_at, window, spentMicros: spent?.micros ?? null, requests: spent?.requests ?? null };
    });
  }

  const one = async (row: BudgetRow): Promise<BudgetWithSpend> => (await withSpend([row]))[0]!;

  return {
    async list(): Promise<BudgetWithSpend[]> {
      return withSpend(await deps.repo.listLive());
    },

    async get(id: string): Promise<BudgetWithSpend> {
      const row = await deps.repo.getLive(id);
      if (!row) throw new ApiError('not_found', `no budget with id ${id}`);
      return one(row);
    },

    /** Creates the subject's budget, or replaces the one it has. */
    async set(subjectType: SubjectType, subjectId: string, settings: BudgetSettings): Promise<{ budget: BudgetWithSpend; created: boolean }> {
      const id = subjectType === 'global_default' ? '' : subjectId;
      await assertSubject(subjectType, id);
      const { row, created } = await deps.repo.upsert({
        subjectType,
        subjectId: id,
        amountMicros: settings.amountMicros,
        period: settings.period,
        timeZone: timeZoneOf(settings.timeZone),
        ...policyOf(settings),
        strict: settings.strict ?? false,
      });
      deps.book.apply(row);
      return { budget: await one(row), created };
    },

    /** Changes some settings of a budget; the others stay. */
    async update(id: string, changes: Partial<BudgetSettings>): Promise<BudgetWithSpend> {
      const current = await this.get(id);
      const { budget } = current;
      const keepsPolicy = changes.policy === undefined && changes.rules === undefined;
      const { row } = await deps.repo.upsert({
        subjectType: budget.subjectType,
        subjectId: budget.subjectId,
        amountMicros: changes.amountMicros ?? budget.amountMicros,
        period: changes.period ?? budget.period,
        timeZone: timeZoneOf(changes.timeZone ?? budget.timeZone),
        ...(keepsPolicy ? { policy: budget.policy, rules: JSON.stringify(budget.rules) } : policyOf(changes)),
        strict: changes.strict ?? budget.strict,
      });
      deps.book.apply(row);
      return one(row);
    },

    async remove(id: string): Promise<void> {
      const removed = await deps.repo.remove(id);
      if (!removed) throw new ApiError('not_found', `no budget with id ${id}`);
      deps.book.apply(removed);
    },
  };
}

export type BudgetsService = ReturnType<typeof createBudgetsService>;
