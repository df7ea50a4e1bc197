/**
 * /admin/budgets: list (with each subject's name, spend and requests this period), set (create or
 * replace the subject's budget), change and remove. Amounts are US dollars on the wire,
 * micro-dollars inside. Budgets are one per subject, so the list is sorted and paged in memory.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { thresholdRule } from '../limits/budget-policy.js';
import type { BudgetWithSpend } from '../limits/budgets/budgets.service.js';
import { budgetSubjectIds, budgetSubjectName } from './budget-names.js';
import { listQuery, pageInMemory } from './list-query.js';
import { iso, percentOf, usd } from './wire-format.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const SUBJECT_TYPES = ['user', 'team', 'key', 'team_default', 'global_default'] as const;

const settings = {
  amount_usd: z.number().positive().max(10_000_000),
  period: z.enum(['daily', 'weekly', 'monthly']),
  time_zone: z.string().min(1).max(100).optional(),
  policy: z.enum(['standard', 'soft', 'shaped']).optional(),
  rules: z.array(thresholdRule).min(1).max(20).optional(),
  /** Strict admission: only requests whose worst case fits in what remains (default false). */
  strict: z.boolean().optional(),
};

const setBody = z
  .object({ subject_type: z.enum(SUBJECT_TYPES), subject_id: z.string().min(1).max(100).optional(), ...settings })
  .strict()
  .refine((body) => body.subject_type === 'global_default' || body.subject_id !== undefined, { message: 'required unless subject_type is global_default', path: ['subject_id'] });

const patchBody = z.object(settings).partial().strict();

const budgetsQuery = listQuery(
  { subject_name: 'asc', amount_usd: 'desc', spent_usd: 'desc', percent: 'desc', requests: 'desc', period: 'asc', subject_type: 'asc' },
  'subject_name',
  { subject_type: z.enum(SUBJECT_TYPES).optional() },
);

/** Periods sort by length, not alphabetically. */
const PERIOD_RANK = { daily: 0, weekly: 1, monthly: 2 } as const;

/** The request bodies of POST and PATCH /admin/budgets (shared with the CLI). */
export type SetBudgetBody = z.input<typeof setBody>;
export type PatchBudgetBody = z.input<typeof patchBody>;

const toMicros = (dollars: number) => Math.round(dollars * 1e6);

function settingsOf(body: PatchBudgetBody) {
  return {
    ...(body.amount_usd !== undefined ? { amountMicros: toMicros(body.amount_usd) } : {}),
    ...(body.period !== undefined ? { period: body.period } : {}),
    ...(body.time_zone !== undefined ? { timeZone: body.time_zone } : {}),
    ...(body.policy !== undefined ? { policy: body.policy } : {}),
    ...(body.rules !== undefined ? { rules: body.rules } : {}),
    ...(body.strict !== undefined ? { strict: body.strict } : {}),
  };
}

export function presentBudget({ budget, window, spentMicros, requests, createdAt, updatedAt }: BudgetWithSpend, subjectName: string | null) {
  return {
    id: budget.id,
    subject_type: budget.subjectType,
    subject_id: budget.subjectType === 'global_default' ? null : budget.subjectId,
    /** The user's email, team's name or key's prefix, "Default for <team>" or "Global default"; null once the subject is gone. */
    subject_name: subjectName,
    amount_usd: usd(budget.amountMicros),
    period: budget.period,
    time_zone: budget.timeZone,
    policy: budget.policy,
    rules: budget.rules,
    /** Strict admission: a request is admitted only if its worst case fits in what remains. */
    strict: budget.strict,
    spent_usd: spentMicros === null ? null : usd(spentMicros),
    percent: spentMicros === null ? null : percentOf(spentMicros, budget.amountMicros),
    /** Requests the subject made this period. */
    requests,
    period_start: iso(window.start),
    resets_at: iso(window.end),
    created_at: iso(createdAt),
    updated_at: iso(updatedAt),
  };
}

/** A budget as the admin API shows it (shared with the CLI). */
export type BudgetView = ReturnType<typeof presentBudget>;

export function registerBudgetRoutes(app: FastifyInstance, deps: AdminDeps): void {
  /** Budgets with their subjects' names: one name query per kind of subject. */
  const presentAll = async (budgets: readonly BudgetWithSpend[]) => {
    const names = await deps.names.of(budgetSubjectIds(budgets.map((item) => item.budget)));
    return budgets.map((item) => presentBudget(item, budgetSubjectName(item.budget, names)));
  };
  const present = async (budget: BudgetWithSpend) => (await presentAll([budget]))[0]!;

  app.get('/budgets', async (request) => {
    const query = validate(budgetsQuery, request.query);
    const budgets = (await deps.budgets.list()).filter((item) => query.subject_type === undefined || item.budget.subjectType === query.subject_type);
    return pageInMemory(await presentAll(budgets), query, {
      sort: {
        subject_name: (budget) => budget.subject_name,
        amount_usd: (budget) => budget.amount_usd,
        spent_usd: (budget) => budget.spent_usd,
        percent: (budget) => budget.percent,
        requests: (budget) => budget.requests,
        period: (budget) => PERIOD_RANK[budget.period],
        subject_type: (budget) => budget.subject_type,
      },
      text: (budget) => [budget.subject_name],
    });
  });

  app.get<{ Params: { id: string } }>('/budgets/:id', async (request) => present(await deps.budgets.get(request.params.id)));

  app.post('/budgets', async (request, reply) => {
    const body = validate(setBody, request.body);
    const { amountMicros, period, ...rest } = settingsOf(body);
    const { budget, created } = await deps.budgets.set(body.subject_type, body.subject_id ?? '', { amountMicros: amountMicros!, period: period!, ...rest });
    return reply.code(created ? 201 : 200).send(await present(budget));
  });

  app.patch<{ Params: { id: string } }>('/budgets/:id', async (request) => {
    const body = validate(patchBody, request.body);
    return present(await deps.budgets.update(request.params.id, settingsOf(body)));
  });

  app.delete<{ Params: { id: string } }>('/budgets/:id', async (request, reply) => {
    await deps.budgets.remove(request.params.id);
    return reply.code(204).send();
  });
}
