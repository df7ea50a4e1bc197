/**
 * The admin API's attribution reports (/admin/analytics/billing-groups and /sessions) for the
 * CLI, built on AdminClient's public `send` and `listAll` so the usage commands do not grow the
 * shared client.
 */
import type { BillingGroupSpendView, SessionDetailView, SessionSpendView } from '../admin/attribution.routes.js';
import type { AdminClient } from './admin-client.js';

export type { BillingGroupSpendView, SessionDetailView, SessionSpendView };

export interface ReportRange {
  from?: Date | undefined;
  to?: Date | undefined;
  /** Only this user's requests (admins). */
  userId?: string | undefined;
}

export interface ReportList extends ReportRange {
  sort?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  search?: string | undefined;
}

const rangeQuery = (range: ReportRange) => ({ from: range.from?.toISOString(), to: range.to?.toISOString(), user_id: range.userId });
const listQuery = (list: ReportList) => ({ ...rangeQuery(list), sort: list.sort, order: list.order, q: list.search });

export class AttributionClient {
  constructor(private readonly client: AdminClient) {}

  billingGroups(list: ReportList): Promise<BillingGroupSpendView[]> {
    return this.client.listAll('/admin/analytics/billing-groups', 'billing groups', listQuery(list));
  }

  sessions(list: ReportList): Promise<SessionSpendView[]> {
    return this.client.listAll('/admin/analytics/sessions', 'sessions', listQuery(list));
  }

  session(id: string, range: ReportRange): Promise<SessionDetailView> {
    return this.client.send('GET', `/admin/analytics/sessions/${encodeURIComponent(id)}`, { auth: true, query: rangeQuery(range) });
  }
}
