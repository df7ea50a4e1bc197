/**
 * Budgets in plain words (docs/budgets.md): policies and their thresholds, where a subject stands,
 * what each subject type means, and the checks a budget form makes before it sends. Pure, so
 * test/portal/budgets.test.ts pins the words and the arithmetic. Every page that shows a budget
 * (Budgets, Users, Teams, the Dashboard) uses these, so a budget reads the same everywhere.
 */
import type { BudgetRecord } from '../api/types.js';
import { formatUsd } from './format.js';

export type BudgetPeriod = BudgetRecord['period'];
export type BudgetSubjectType = BudgetRecord['subject_type'];
export type ThresholdRule = BudgetRecord['rules'][number];
export type BudgetStatus = 'ok' | 'warning' | 'shaped' | 'blocked';
export type PolicyPreset = 'standard' | 'soft' | 'shaped';

export const PERIODS: readonly BudgetPeriod[] = ['daily', 'weekly', 'monthly'];
export const SUBJECT_TYPES: readonly BudgetSubjectType[] = ['user', 'team', 'key', 'team_default', 'global_default'];
export const POLICY_PRESETS: readonly PolicyPreset[] = ['standard', 'soft', 'shaped'];

/**
 * The presets' rules, as the server defines them (src/limits/budget-policy.ts). Copied because the
 * server module brings zod with it; test/portal/budgets.test.ts fails if the two drift.
 */
export const PRESET_RULES: Record<PolicyPreset, readonly ThresholdRule[]> = {
  standard: [
    { action: 'notify', percent: 80 },
    { action: 'block', percent: 100 },
  ],
  soft: [
    { action: 'notify', percent: 80 },
    { action: 'notify', percent: 100 },
    { action: 'block', percent: 150 },
  ],
  shaped: [
    { action: 'notify', percent: 80 },
    { action: 'shape', percent: 100, rpm: 5 },
    { action: 'block', percent: 150 },
  ],
};

const byPercent = (rules: readonly ThresholdRule[]) => [...rules].sort((a, b) => a.percent - b.percent);

/** "80%", "80% and 100%", "50%, 80% and 100%". */
function percentList(percents: readonly number[]): string {
  const words = percents.map((percent) => `${percent}%`);
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function actionWords(rule: ThresholdRule): string {
  if (rule.action === 'notify') return 'notify';
  if (rule.action === 'shape') return `slow to ${rule.rpm} requests/minute`;
  return 'block';
}

/**
 * A policy in one sentence: "Notify at 80% and 100%, block at 150%." Consecutive rules that do
 * the same thing share their verb; a policy without a block rule says that it never refuses.
 */
export function describeRules(rules: readonly ThresholdRule[]): string {
  const groups: Array<{ words: string; percents: number[] }> = [];
  for (const rule of byPercent(rules)) {
    const words = actionWords(rule);
    const last = groups.at(-1);
    if (last && last.words === words) last.percents.push(rule.percent);
    else groups.push({ words, percents: [rule.percent] });
  }
  const text = groups.map((group) => `${group.words} at ${percentList(group.percents)}`).join(', ');
  const sentence = rules.some((rule) => rule.action === 'block') ? text : `${text}; never blocks`;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

export const PRESET_DESCRIPTIONS: Record<PolicyPreset, string> = {
  standard: describeRules(PRESET_RULES.standard),
  soft: describeRules(PRESET_RULES.soft),
  shaped: describeRules(PRESET_RULES.shaped),
};

export const isPreset = (policy: string): policy is PolicyPreset => (POLICY_PRESETS as readonly string[]).includes(policy);

/** Where a subject stands at `percent` of its limit: the strongest rule it has reached (the server's own reading, src/limits/budget-policy.ts). */
export function budgetStatus(rules: readonly ThresholdRule[], percent: number | null): BudgetStatus {
  if (percent === null) return 'ok';
  let status: BudgetStatus = 'ok';
  for (const rule of rules) {
    if (percent < rule.percent) continue;
    if (rule.action === 'block') status = 'blocked';
    else if (rule.action === 'shape' && status !== 'blocked') status = 'shaped';
    else if (rule.action === 'notify' && status === 'ok') status = 'warning';
  }
  return status;
}

/**
 * The colour of a spend meter whose policy the page does not know (the users' and teams' lists
 * carry the amount and spend, not the rules): the standard preset's thresholds.
 */
export const meterStatus = (percent: number | null): BudgetStatus => budgetStatus(PRESET_RULES.standard, percent);

export interface ThresholdStep {
  readonly percent: number;
  readonly amountUsd: number;
  readonly text: string;
}

/** What happens at each threshold of a budget of `amountUsd`, lowest first, in words for the person the budget limits. */
export function thresholdSteps(rules: readonly ThresholdRule[], amountUsd: number): ThresholdStep[] {
  return byPercent(rules).map((rule) => ({
    percent: rule.percent,
    amountUsd: Math.round(amountUsd * rule.percent) / 100,
    text:
      rule.action === 'notify'
        ? 'a budget alert is recorded; requests still go through'
        : rule.action === 'shape'
          ? `requests slow to ${rule.rpm} a minute`
          : 'requests are refused until the budget resets',
  }));
}

/** What a standing means for the person it limits, when the page cannot list the thresholds themselves. */
export const STATUS_MEANING: Record<BudgetStatus, string> = {
  ok: 'Below every threshold: requests go through as usual.',
  warning: 'A warning threshold is passed: requests still go through.',
  shaped: 'Requests are slowed to a few a minute until the budget resets.',
  blocked: 'Requests are refused until the budget resets.',
};

export const PERIOD_NOUN: Record<BudgetPeriod, string> = { daily: 'day', weekly: 'week', monthly: 'month' };

export const PERIOD_DESCRIPTION: Record<BudgetPeriod, string> = {
  daily: 'Daily: resets at midnight.',
  weekly: 'Weekly: resets on Monday at midnight.',
  monthly: 'Monthly: resets on the 1st at midnight.',
};

/** "$50.00 / month". */
export const formatBudget = (amountUsd: number, period: BudgetPeriod): string => `${formatUsd(amountUsd)} / ${PERIOD_NOUN[period]}`;

export const SUBJECT_TYPE_LABEL: Record<BudgetSubjectType, string> = {
  user: 'User',
  team: 'Team',
  key: 'Key',
  team_default: 'Team default',
  global_default: 'Global default',
};

/** Where the budget that limits a user comes from (the users list's `budget.source`). */
export const BUDGET_SOURCE_LABEL: Record<'user' | 'team_default' | 'global_default', string> = {
  user: 'own',
  team_default: 'team default',
  global_default: 'global default',
};

/** What stops applying when a budget is removed, for the confirmation. */
export function removalConsequence(subjectType: BudgetSubjectType): string {
  switch (subjectType) {
    case 'user':
      return "The user's team default applies again, else the global default, else nothing caps them.";
    case 'team':
      return "The team's shared spend is no longer capped; its members' own budgets still apply.";
    case 'key':
      return "The key is then limited only by its user's and team's budgets.";
    case 'team_default':
      return 'Members without a budget of their own fall back to the global default, else to no cap.';
    case 'global_default':
      return 'Users with neither a budget of their own nor a team default are no longer capped.';
  }
}

/** A title for one of the caller's own budgets (GET /admin/me/budgets). */
/** A budget subject's name; the API sends null once the user, team or key was deleted (its budget and events stay). */
export const subjectLabel = (name: string | null): string => name ?? '(deleted)';

export function myBudgetTitle(subjectType: BudgetSubjectType, subjectName: string): string {
  switch (subjectType) {
    case 'user':
      return 'Your budget';
    case 'team_default':
      return "Your budget (your team's default for each member)";
    case 'global_default':
      return "Your budget (the gateway's default)";
    case 'team':
      return `Team ${subjectName}`;
    case 'key':
      return `Key ${subjectName}`;
  }
}

export const MAX_AMOUNT_USD = 10_000_000;

/** True when this runtime knows the IANA zone (the server checks with the same call). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface BudgetDraft {
  readonly amount: string;
  readonly period: BudgetPeriod;
  /** Empty: the gateway's default zone (CCAG_BUDGET_TIME_ZONE). */
  readonly timeZone: string;
  /** `custom`: keep the budget's custom rules (a budget set with `rules` through the API or CLI). */
  readonly policy: PolicyPreset | 'custom';
  /** The strict admission rule: a request is admitted only if its worst case fits in what remains. */
  readonly strict: boolean;
}

/** The admission rules in one line each (docs/budgets.md, "Admission rule"). */
export const STRICT_LABEL = 'Strict (never exceed)';
export const STRICT_EXPLANATION =
  "Admit a request only if its worst case (max_tokens at the model's price) fits in what remains, so spend never passes the limit. Unchecked: requests are admitted while anything remains, and the last one may pass the limit by its own cost.";

export interface BudgetSettingsBody {
  amount_usd: number;
  period: BudgetPeriod;
  time_zone?: string;
  policy?: PolicyPreset;
  strict: boolean;
}

export type DraftCheck = { ok: true; body: BudgetSettingsBody } | { ok: false; errors: { amount?: string; timeZone?: string } };

/** The settings of a budget form, checked as the server would check them, ready to send. */
export function checkBudgetDraft(draft: BudgetDraft): DraftCheck {
  const errors: { amount?: string; timeZone?: string } = {};
  const text = draft.amount.trim();
  const amount = Number(text);
  if (text === '' || !Number.isFinite(amount)) errors.amount = 'Enter an amount in US dollars.';
  else if (amount < 0.01) errors.amount = 'The amount must be at least $0.01.';
  else if (amount > MAX_AMOUNT_USD) errors.amount = `The amount can be at most ${formatUsd(MAX_AMOUNT_USD)}.`;
  // The server keeps micro-dollars: more than six decimals would be rounded away silently.
  else if (!/^\d+(\.\d{1,6})?$/.test(text)) errors.amount = 'Write the amount in dollars, e.g. 50 or 49.99.';
  const zone = draft.timeZone.trim();
  if (zone !== '' && !isTimeZone(zone)) errors.timeZone = `“${zone}” is not an IANA time zone (e.g. Europe/Berlin).`;
  if (errors.amount || errors.timeZone) return { ok: false, errors };
  return {
    ok: true,
    body: {
      amount_usd: amount,
      period: draft.period,
      ...(zone ? { time_zone: zone } : {}),
      ...(draft.policy === 'custom' ? {} : { policy: draft.policy }),
      // Always sent, so unchecking it on a change turns the strict rule off.
      strict: draft.strict,
    },
  };
}

/** A form's starting values: the budget's own settings, else a monthly standard budget (default admission rule) in the gateway's zone. */
export function draftOf(budget: Pick<BudgetRecord, 'amount_usd' | 'period' | 'time_zone' | 'policy' | 'strict'> | null | undefined): BudgetDraft {
  if (!budget) return { amount: '', period: 'monthly', timeZone: '', policy: 'standard', strict: false };
  return { amount: String(budget.amount_usd), period: budget.period, timeZone: budget.time_zone, policy: isPreset(budget.policy) ? budget.policy : 'custom', strict: budget.strict };
}
