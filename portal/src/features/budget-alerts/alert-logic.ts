/**
 * Budget alerts in words, and the time filter of their list. Pure, so
 * test/portal/alert-logic.test.ts pins them with a fixed clock.
 */
import { presetRange, RANGE_PRESETS, isPreset } from '../../lib/time-range.js';

export const ALERT_EVENT_TYPES = ['budget_warning', 'budget_shaped', 'budget_blocked', 'team_budget_warning', 'team_budget_shaped', 'team_budget_blocked'] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/** The status a budget reached with this event, for its badge colour. */
export type AlertLevel = 'warning' | 'shaped' | 'blocked';

export function alertLevel(type: AlertEventType): AlertLevel {
  return type.endsWith('_blocked') ? 'blocked' : type.endsWith('_shaped') ? 'shaped' : 'warning';
}

const LEVEL_WORDS: Record<AlertLevel, string> = { warning: 'Warning', shaped: 'Shaped', blocked: 'Blocked' };

/** "Warning", "Team blocked". */
export function alertTypeLabel(type: AlertEventType): string {
  const words = LEVEL_WORDS[alertLevel(type)];
  return type.startsWith('team_') ? `Team ${words.toLowerCase()}` : words;
}

export const ALERT_TYPE_OPTIONS = ALERT_EVENT_TYPES.map((type) => ({ value: type, label: alertTypeLabel(type) }));

export const ALERT_RANGE_OPTIONS = [...Object.entries(RANGE_PRESETS).map(([value, label]) => ({ value, label })), { value: 'custom', label: 'Between dates' }];

const DAY = 86_400_000;

/**
 * The `from` / `to` of the list for a range choice: nothing for "any time", a preset's range at
 * `now`, or whole UTC days between two dates (either may be left open; the end date included).
 */
export function alertTimeFilter(range: string, fromDate: string, toDate: string, now: number): { from?: string; to?: string } {
  if (isPreset(range)) {
    const { from, to } = presetRange(range, now);
    return { from, to };
  }
  if (range !== 'custom') return {};
  const from = Date.parse(`${fromDate}T00:00:00Z`);
  const to = Date.parse(`${toDate}T00:00:00Z`);
  return {
    ...(Number.isNaN(from) ? {} : { from: new Date(from).toISOString() }),
    ...(Number.isNaN(to) ? {} : { to: new Date(to + DAY).toISOString() }),
  };
}
