/**
 * What a budget's subject is called in listings: the user's email, the team's name, the key's
 * prefix, "Default for <team>" or "Global default"; null once the subject is gone.
 */
import type { SubjectIds, SubjectNames } from '../identity/subject-names.repo.js';
import type { Budget } from '../limits/budgets/budget-book.js';

type Subject = Pick<Budget, 'subjectType' | 'subjectId'>;

/** The ids to look names up for. */
export function budgetSubjectIds(budgets: readonly Subject[]): SubjectIds {
  const of = (...types: Array<Subject['subjectType']>) => budgets.filter((budget) => types.includes(budget.subjectType)).map((budget) => budget.subjectId);
  return { user: of('user'), team: of('team', 'team_default'), key: of('key') };
}

export function budgetSubjectName({ subjectType, subjectId }: Subject, names: SubjectNames): string | null {
  if (subjectType === 'global_default') return 'Global default';
  if (subjectType === 'team_default') {
    const team = names.team.get(subjectId);
    return team === undefined ? null : `Default for ${team}`;
  }
  return names[subjectType].get(subjectId) ?? null;
}
