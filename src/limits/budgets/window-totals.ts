/**
 * Ledger totals for many subjects, each in its own budget period, for listings: one grouped query
 * per (subject type, window) instead of one per subject. Periods and time zones in use are few,
 * so a page of a thousand users still costs a handful of queries.
 */
import type { SpendSubject, SpendTotals, SubjectTotals } from '../../spend/spend-totals.js';
import type { PeriodWindow } from '../budget-period.js';

export interface WindowedSubject {
  readonly subject: SpendSubject;
  readonly window: PeriodWindow;
}

const NOTHING: SubjectTotals = { micros: 0, requests: 0 };

/** Each item's totals, in the order of `items`. */
export async function totalsInWindows(spend: Pick<SpendTotals, 'totalsBetween'>, items: readonly WindowedSubject[]): Promise<SubjectTotals[]> {
  const groupOf = ({ subject, window }: WindowedSubject) => `${subject.type}:${window.start}:${window.end}`;
  const groups = new Map<string, { item: WindowedSubject; ids: Set<string> }>();
  for (const item of items) {
    const group = groups.get(groupOf(item));
    if (group) group.ids.add(item.subject.id);
    else groups.set(groupOf(item), { item, ids: new Set([item.subject.id]) });
  }
  const answers = new Map<string, Map<string, SubjectTotals>>();
  await Promise.all(
    [...groups].map(async ([key, { item, ids }]) => {
      answers.set(key, await spend.totalsBetween(item.subject.type, [...ids], item.window.start, item.window.end));
    }),
  );
  return items.map((item) => answers.get(groupOf(item))!.get(item.subject.id) ?? NOTHING);
}
