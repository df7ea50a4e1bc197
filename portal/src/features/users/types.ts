import type { UserRecord } from '../../api/types.js';

/** A user as GET /admin/users lists it, with the budget that applies to them (or null). */
export type UserRow = UserRecord;
export type UserBudget = NonNullable<UserRecord['budget']>;
