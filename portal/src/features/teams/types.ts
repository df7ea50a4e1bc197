import type { TeamRecord } from '../../api/types.js';

/** A team as GET /admin/teams lists it, with its own budget (or null) and its spend. */
export type TeamRow = TeamRecord;
export type TeamBudget = NonNullable<TeamRecord['budget']>;
