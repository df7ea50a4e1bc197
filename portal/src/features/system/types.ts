import type { SystemRecord } from '../../api/types.js';

/** The gateway's own view of itself (GET /admin/system). */
export type SystemInfo = SystemRecord;
