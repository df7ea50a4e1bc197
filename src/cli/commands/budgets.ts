/**
 * `ccag budgets list | set | remove`: spending budgets in US dollars per user, team or key, and
 * the defaults (`team-default`: each member of a team; `global-default`: every user without a
 * budget of their own or from their team). Subjects are named like elsewhere: a user by id or
 * email, a team by id or name, a key by id or prefix. Setting a subject's budget replaces the one
 * it had. `--strict` sets the admission rule that never lets spend pass the limit (docs/budgets.md,
 * "Admission rule"). `ccag budgets events` lists the thresholds crossed (budget-events.ts).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AdminClient } from '../admin-client.js';
import type { BudgetRecord, BudgetSubjectType, SetBudgetInput } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, formatUsd, type Column } from '../output.js';
import { findKey } from '../resolve.js';
import { findTeam, findUser } from '../resolve-identity.js';
import { registerBudgetEventsCommand } from './budget-events.js';

/** How subjects are typed on the command line (hyphens) and sent to the API (underscores). */
const SUBJECTS: Record<string, BudgetSubjectType> = {
  user: 'user',
  team: 'team',
  key: 'key',
  'team-default': 'team_default',
  'global-default': 'global_default',
};

function parseSubject(raw: string): BudgetSubjectType {
  const subject = SUBJECTS[raw.trim().toLowerCase()];
  if (!subject) throw new InvalidArgumentError(`expected one of ${Object.keys(SUBJECTS).join(', ')}`);
  return subject;
}

function parseUsd(raw: string): number {
  const value = Number(raw.trim().replace(/^\$/, ''));
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('expected a positive amount in US dollars, e.g. 50 or 12.5');
  return value;
}

function parseRules(raw: string): NonNullable<SetBudgetInput['rules']> {
  try {
    const rules = JSON.parse(raw) as unknown;
    if (Array.isArray(rules)) return rules as NonNullable<SetBudgetInput['rules']>;
  } catch {
    // Reported below, with the expected shape.
  }
  throw new InvalidArgumentError('expected a JSON array such as [{"action":"notify","percent":80},{"action":"block","percent":100}]');
}

/** The subject's id from what was typed; defaults of everyone take no reference. */
async function subjectId(client: AdminClient, type: BudgetSubjectType, reference: string | undefined): Promise<string | undefined> {
  if (type === 'global_default') {
    if (reference !== undefined) throw new UsageError('global-default takes no subject; leave it out');
    return undefined;
  }
  if (reference === undefined) throw new UsageError(`name the ${type === 'key' ? 'key (id or prefix)' : type === 'user' ? 'user (id or email)' : 'team (id or name)'}`);
  if (type === 'user') return findUser(await client.listUsers(), reference).id;
  if (type === 'key') return findKey(await client.listKeys({ includeRevoked: true }), reference).id;
  return findTeam(await client.listTeams(), reference).id;
}

const BUDGET_COLUMNS: readonly Column<BudgetRecord>[] = [
  { header: 'ID', value: (budget) => budget.id },
  { header: 'Kind', value: (budget) => budget.subject_type.replace('_', '-') },
  { header: 'Subject', value: (budget) => budget.subject_name ?? budget.subject_id },
  { header: 'Limit USD', value: (budget) => formatUsd(budget.amount_usd), align: 'right' },
  { header: 'Period', value: (budget) => budget.period },
  { header: 'Policy', value: (budget) => budget.policy },
  { header: 'Rule', value: (budget) => (budget.strict ? 'strict' : 'default') },
  { header: 'Spent USD', value: (budget) => formatUsd(budget.spent_usd), align: 'right' },
  { header: 'Used %', value: (budget) => budget.percent, align: 'right' },
  { header: 'Requests', value: (budget) => budget.requests, align: 'right' },
  { header: 'Resets', value: (budget) => formatTime(budget.resets_at) },
];

/** How a subject is named in messages: `user dev@example.com`, `global-default`. */
const described = (kind: BudgetSubjectType, reference: string | undefined) => (reference === undefined ? kind.replace('_', '-') : `${kind.replace('_', '-')} ${reference}`);

interface SetOptions {
  usd: number;
  period: 'daily' | 'weekly' | 'monthly';
  policy?: 'standard' | 'soft' | 'shaped';
  rules?: NonNullable<SetBudgetInput['rules']>;
  timeZone?: string;
  /** Undefined when neither --strict nor --no-strict is given: the server's default (not strict). */
  strict?: boolean;
}

const SUBJECT_HELP = 'user, team, key, team-default (each member of a team) or global-default (everyone else)';

export function registerBudgetsCommands(program: Command, io: CliIo): void {
  const budgets = program.command('budgets').description('set, list and remove spending budgets of users, teams and keys');

  gatewayOptions(budgets.command('list'))
    .description("list budgets with this period's spend")
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        out.list(await client.listBudgets(), BUDGET_COLUMNS, 'No budgets yet. Set one with: ccag budgets set user <email> --usd 50');
      }),
    );

  gatewayOptions(budgets.command('set'))
    .description("set (create or replace) a subject's budget")
    .argument('<kind>', SUBJECT_HELP, parseSubject)
    .argument('[subject]', 'user id or email, team id or name, key id or prefix (none for global-default)')
    .requiredOption('--usd <amount>', 'the limit in US dollars per period', parseUsd)
    .addOption(new Option('--period <period>', 'the period the limit is for').choices(['daily', 'weekly', 'monthly']).default('monthly'))
    .addOption(new Option('--policy <preset>', 'standard (block at 100%), soft (block at 150%) or shaped (5 RPM from 100%, block at 150%); default standard').choices(['standard', 'soft', 'shaped']))
    .option('--rules <json>', 'custom threshold rules instead of a preset, as a JSON array', parseRules)
    .option('--time-zone <zone>', "IANA time zone of the period boundaries (default: the gateway's CCAG_BUDGET_TIME_ZONE)")
    .option('--strict', "admit only requests whose worst case (max_tokens at the model's price) fits in what remains, so the limit is never passed")
    .option('--no-strict', 'admit requests while anything of the budget remains, so the last one may pass the limit by its own cost (the default)')
    .action((kind: BudgetSubjectType, reference: string | undefined, options: SetOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        if (options.policy && options.rules) throw new UsageError('give --policy or --rules, not both');
        const id = await subjectId(client, kind, reference);
        const budget = await client.setBudget({
          subject_type: kind,
          subject_id: id,
          amount_usd: options.usd,
          period: options.period,
          policy: options.policy,
          rules: options.rules,
          time_zone: options.timeZone,
          ...(options.strict === undefined ? {} : { strict: options.strict }),
        });
        out.record(budget, BUDGET_COLUMNS, `Set the ${budget.period} budget of ${described(kind, reference)} to $${formatUsd(budget.amount_usd)}.`);
      }),
    );

  gatewayOptions(budgets.command('remove'))
    .description("remove a subject's budget (a user then falls back to the team default, then the global default)")
    .argument('<kind>', SUBJECT_HELP, parseSubject)
    .argument('[subject]', 'user id or email, team id or name, key id or prefix (none for global-default)')
    .action((kind: BudgetSubjectType, reference: string | undefined, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const id = (await subjectId(client, kind, reference)) ?? null;
        const budget = (await client.listBudgets()).find((candidate) => candidate.subject_type === kind && candidate.subject_id === id);
        const what = described(kind, reference);
        if (!budget) throw new UsageError(`${what} has no budget; see "ccag budgets list"`);
        await client.deleteBudget(budget.id);
        out.done(`Removed the budget of ${what}.`, { id: budget.id, subject_type: kind, subject_id: id, deleted: true });
      }),
    );

  registerBudgetEventsCommand(budgets, io);
}
