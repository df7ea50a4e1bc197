/**
 * `ccag usage billing-groups`, `ccag usage sessions` and `ccag usage session <id>`: spend by the
 * request `tags` billing group and by Claude Code session, with a session's agents (the main
 * agent and each subagent under its parent). Members see their own requests only.
 */
import { Option, type Command } from 'commander';
import { INSTANT_HELP, instantParser } from '../arguments.js';
import { AttributionClient, type BillingGroupSpendView, type ReportList, type SessionDetailView, type SessionSpendView } from '../attribution-client.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column, type Output } from '../output.js';
import type { BILLING_GROUP_SORTS, SESSION_SORTS } from '../../spend/analytics/attribution-reports.js';

/** Keyed by the API's sort fields, so a field added there fails to compile here until it is listed. */
const BILLING_GROUP_FIELDS: { readonly [K in keyof typeof BILLING_GROUP_SORTS]: true } = {
  billing_group: true, requests: true, tokens: true, cost_usd: true, users: true, sessions: true, last_at: true,
};
const SESSION_FIELDS: { readonly [K in keyof typeof SESSION_SORTS]: true } = {
  session_id: true, requests: true, tokens: true, cost_usd: true, agents: true, first_at: true, last_at: true,
};

/** Spend in dollars to the cent, or to six places when it is less than a cent. */
const dollars = (usd: number) => (usd !== 0 && usd < 0.01 ? usd.toFixed(6) : usd.toFixed(2));

const BILLING_GROUP_COLUMNS: readonly Column<BillingGroupSpendView>[] = [
  { header: 'Billing group', value: (row) => row.billing_group ?? '(untagged)' },
  { header: 'Requests', value: (row) => row.requests, align: 'right' },
  { header: 'Tokens', value: (row) => row.tokens, align: 'right' },
  { header: 'Cost USD', value: (row) => dollars(row.cost_usd), align: 'right' },
  { header: 'Users', value: (row) => row.users, align: 'right' },
  { header: 'Sessions', value: (row) => row.sessions, align: 'right' },
  { header: 'Last', value: (row) => formatTime(row.last_at) },
];

const SESSION_COLUMNS: readonly Column<SessionSpendView>[] = [
  { header: 'Session', value: (row) => row.session_id },
  { header: 'User', value: (row) => row.user_email ?? row.user_id },
  { header: 'Requests', value: (row) => row.requests, align: 'right' },
  { header: 'Agents', value: (row) => row.agents, align: 'right' },
  { header: 'Cost USD', value: (row) => dollars(row.cost_usd), align: 'right' },
  { header: 'Subagents USD', value: (row) => dollars(row.subagent_cost_usd), align: 'right' },
  { header: 'First', value: (row) => formatTime(row.first_at) },
  { header: 'Last', value: (row) => formatTime(row.last_at) },
];

type Agent = SessionDetailView['agents'][number];
const AGENT_COLUMNS: readonly Column<Agent>[] = [
  { header: 'Agent', value: (row) => (row.main ? '(main)' : row.agent_id) },
  { header: 'Parent', value: (row) => row.parent_agent_id },
  { header: 'Requests', value: (row) => row.requests, align: 'right' },
  { header: 'Tokens', value: (row) => row.tokens, align: 'right' },
  { header: 'Cost USD', value: (row) => dollars(row.cost_usd), align: 'right' },
  { header: 'First', value: (row) => formatTime(row.first_at) },
  { header: 'Last', value: (row) => formatTime(row.last_at) },
];

interface RangeOptions {
  from?: Date;
  to?: Date;
  user?: string;
}
interface ListOptions extends RangeOptions {
  sort?: string;
  order?: 'asc' | 'desc';
  search?: string;
}

function rangeOptions(command: Command, io: CliIo): Command {
  return command
    .option('--from <when>', `from then on (default: 7 days before --to): ${INSTANT_HELP}`, instantParser(io.now))
    .option('--to <when>', 'before then (default: now; same forms as --from)', instantParser(io.now))
    .option('--user <user-id>', "only this user's requests (admins)");
}

function listOptions(command: Command, io: CliIo, sorts: readonly string[]): Command {
  return rangeOptions(command, io)
    .addOption(new Option('--sort <field>', 'sort by this field').choices(sorts))
    .addOption(new Option('--order <order>', "ascending or descending (default: the field's natural order)").choices(['asc', 'desc']))
    .option('--search <text>', 'only rows whose name contains this (any case)');
}

const listOf = (options: ListOptions): ReportList => ({ from: options.from, to: options.to, userId: options.user, sort: options.sort, order: options.order, search: options.search });

export function registerUsageCommands(program: Command, io: CliIo): void {
  const usage = program.command('usage').description('spend by billing group (request tags) and by Claude Code session and agent');
  const run = (command: Command, work: (client: AttributionClient, out: Output) => Promise<void>) =>
    runGatewayCommand(io, command, ({ client, out }) => work(new AttributionClient(client), out));

  listOptions(gatewayOptions(usage.command('billing-groups')), io, Object.keys(BILLING_GROUP_FIELDS))
    .description('spend per billing group (the `tags.billing_group` of each request), most expensive first')
    .action((options: ListOptions, command: Command) =>
      run(command, async (client, out) => out.list(await client.billingGroups(listOf(options)), BILLING_GROUP_COLUMNS, 'No requests in the range.')),
    );

  listOptions(gatewayOptions(usage.command('sessions')), io, Object.keys(SESSION_FIELDS))
    .description('spend per Claude Code session, most recent first')
    .action((options: ListOptions, command: Command) =>
      run(command, async (client, out) =>
        out.list(await client.sessions(listOf(options)), SESSION_COLUMNS, 'No sessions in the range. Claude Code names its session in the x-claude-code-session-id header.'),
      ),
    );

  rangeOptions(gatewayOptions(usage.command('session')), io)
    .description("one session's spend per agent: the main agent and each subagent with its parent")
    .argument('<session-id>')
    .action((id: string, options: RangeOptions, command: Command) =>
      run(command, async (client, out) => {
        const session = await client.session(id, { from: options.from, to: options.to, userId: options.user });
        if (out.json) return out.done('', session);
        out.text(`Session ${session.session_id} (${session.user_email ?? session.user_id ?? 'unknown user'}): ${session.requests} requests, ${dollars(session.cost_usd)} USD, ${formatTime(session.first_at)} to ${formatTime(session.last_at)} UTC\n`);
        out.list(session.agents, AGENT_COLUMNS, '');
      }),
    );
}
