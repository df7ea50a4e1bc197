/**
 * /admin/budgets: list (with each subject's spend this period), set (create or replace the
 * subject's budget), change and remove. Amounts are US dollars on the wire, micro-dollars inside.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { thresholdRule } from '../limits/budget-policy.js';
import type { BudgetWithSpend } from '../limits/budgets/budgets.service.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const SUBJECT_TYPES = ['user', 'team', 'key', 'team_default', 'global_default'] as const;

const settings = {
  amount_usd: z.number().positive().max(10_000_000),
  period: z.enum(['daily', 'weekly', 'monthly']),
  time_zone: z.string().min(1).max(100).optional(),
  policy: z.enum(['standard', 'soft', 'shaped']).optional(),
  rules: z.array(thresholdRule).min(1).max(20).optional(),
};

const setBody = z
  .object({ subject_type: z.enum(SUBJECT_TYPES), subject_id: z.string().min(1).max(100).optional(), ...settings })
  .strict()
  .refine((body) => body.subject_type === 'global_default' || body.subject_id !== undefined, { message: 'required unless subject_type is global_default', path: ['subject_id'] });

const patchBody = z.object(settings).partial().strict();

/** The request bodies of POST and PATCH /admin/budgets (shared with the CLI). */
export type SetBudgetBody = z.input<typeof setBody>;
export type PatchBudgetBody = z.input<typeof patchBody>;

const toMicros = (usd: number) => Math.round(usd * 1e6);

function settingsOf(body: PatchBudgetBody) {
  return {
    ...(body.amount_usd !== undefined ? { amountMicros: toMicros(body.amount_usd) } : {}),
    ...(body.period !== undefined ? { period: body.period } : {}),
    ...(body.time_zone !== undefined ? { timeZone: body.time_zone } : {}),
    ...(body.policy !== undefined ? { policy: body.policy } : {}),
    ...(body.rules !== undefined ? { rules: body.rules } : {}),
  };
}

export function presentBudget({ budget, window, spentMicros, createdAt, updatedAt }: BudgetWithSpend) {
  return {
    id: budget.id,
    subject_type: budget.subjectType,
    subject_id: budget.subjectType === 'global_default' ? null : budget.subjectId,
    amount_usd: budget.amountMicros / 1e6,
    period: budget.period,
    time_zone: budget.timeZone,
    policy: budget.policy,
    rules: budget.rules,
    spent_usd: spentMicros === null ? null : spentMicros / 1e6,
    percent: spentMicros === null ? null : Math.round((spentMicros / budget.amountMicros) * 1000) / 10,
    period_start: new Date(window.start).toISOString(),
    resets_at: new Date(window.end).toISOString(),
    created_at: new Date(createdAt).toISOString(),
    updated_at: new Date(updatedAt).toISOString(),
  };
}

/** A budget as the admin API shows it (shared with the CLI). */
export type BudgetView = ReturnType<typeof presentBudget>;

export function registerBudgetRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/budgets', async () => ({ data: (await deps.budgets.list()).map(presentBudget) }));

  app.get<{ Params: { id: string } }>('/budgets/:id', async (request) => presentBudget(await deps.budgets.get(request.params.id)));

  app.post('/budgets', async (request, reply) => {
    const body = validate(setBody, request.body);
    const { amountMicros, period, ...rest } = settingsOf(body);
    const { budget, created } = await deps.budgets.set(body.subject_type, body.subject_id ?? '', { amountMicros: amountMicros!, period: period!, ...rest });
    return reply.code(created ? 201 : 200).send(presentBudget(budget));
  });

  app.patch<{ Params: { id: string } }>('/budgets/:id', async (request) => {
    const body = validate(patchBody, request.body);
    return presentBudget(await deps.budgets.update(request.params.id, settingsOf(body)));
  });

  app.delete<{ Params: { id: string } }>('/budgets/:id', async (request, reply) => {
    await deps.budgets.remove(request.params.id);
    return reply.code(204).send();
  });
}
