/** The usage tables' rows: the server's own wire types. */
export type { TeamUsageRow, UserUsageRow } from '../../api/types.js';
