/**
 * `ccag budgets events`: the budget thresholds crossed, newest first (one event per subject,
 * threshold and period), with the filters of GET /admin/budget-events.
 */
import { Option, type Command } from 'commander';
import type { BudgetEventRecord, BudgetEventType } from '../admin-types.js';
import { INSTANT_HELP, instantParser } from '../arguments.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime, formatUsd, type Column } from '../output.js';

/** Keyed by the API's own event types, so a new one fails to compile here until it is listed. */
const EVENT_TYPES: { readonly [K in BudgetEventType]: true } = {
  budget_warning: true,
  budget_shaped: true,
  budget_blocked: true,
  team_budget_warning: true,
  team_budget_shaped: true,
  team_budget_blocked: true,
};

const EVENT_COLUMNS: readonly Column<BudgetEventRecord>[] = [
  { header: 'Time', value: (event) => formatTime(event.created_at) },
  { header: 'Type', value: (event) => event.event_type },
  { header: 'Subject', value: (event) => event.subject_name ?? event.subject_id },
  { header: 'User', value: (event) => event.user_email },
  { header: 'Team', value: (event) => event.team_name },
  { header: 'Threshold', value: (event) => `${event.threshold_percent}%`, align: 'right' },
  { header: 'Spend USD', value: (event) => formatUsd(event.spend_usd), align: 'right' },
  { header: 'Limit USD', value: (event) => formatUsd(event.limit_usd), align: 'right' },
  { header: 'Delivery', value: (event) => event.delivery.replace('_', ' ') },
];

interface EventsOptions {
  from?: Date;
  to?: Date;
  type?: BudgetEventType;
  subjectType?: BudgetEventRecord['subject_type'];
  subject?: string;
}

export function registerBudgetEventsCommand(budgets: Command, io: CliIo): void {
  gatewayOptions(budgets.command('events'))
    .description('list budget events (thresholds crossed), newest first')
    .option('--from <when>', `only events from then on: ${INSTANT_HELP}`, instantParser(io.now))
    .option('--to <when>', 'only events before then (same forms as --from)', instantParser(io.now))
    .addOption(
      new Option('--type <event-type>', 'only events of this type: a notify (warning), shape (shaped) or block (blocked) threshold of a user or key budget, or of a team budget (team_*)').choices(
        Object.keys(EVENT_TYPES),
      ),
    )
    .addOption(new Option('--subject-type <kind>', 'only events of user, team or key budgets').choices(['user', 'team', 'key']))
    .option('--subject <text>', "only subjects whose email, team name or key prefix contains this (any case)")
    .action((options: EventsOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const events = await client.listBudgetEvents({ from: options.from, to: options.to, eventType: options.type, subjectType: options.subjectType, subject: options.subject });
        const filtered = [options.from, options.to, options.type, options.subjectType, options.subject].some((value) => value !== undefined);
        const empty = filtered
          ? 'No budget events match.'
          : 'No budget events yet. One is recorded when spend crosses a threshold of a budget; see "ccag budgets list".';
        out.list(events, EVENT_COLUMNS, empty);
      }),
    );
}
