/**
 * The admin API's /admin/notifications routes for the CLI, built on AdminClient's public `send`
 * and `listAll` so the notifications commands do not grow the shared client.
 */
import type { NotificationDeliveryView, NotificationEventView } from '../admin/notifications.routes.js';
import type { DraftInput } from '../notify/destination-config.js';
import type { NotificationsAdmin } from '../notify/notifications-admin.js';
import type { AdminClient } from './admin-client.js';

export type NotificationsOverview = Awaited<ReturnType<NotificationsAdmin['overview']>>;
export type SavedDraft = Awaited<ReturnType<NotificationsAdmin['putDraft']>>;
export type TestReport = Awaited<ReturnType<NotificationsAdmin['testDraft']>>;
export type DeliveryPass = Awaited<ReturnType<NotificationsAdmin['deliverNow']>>;
export type DestinationRecord = NonNullable<NotificationsOverview['active']>;
export type { DraftInput, NotificationDeliveryView, NotificationEventView };

const BASE = '/admin/notifications';

export class NotificationsClient {
  constructor(private readonly client: AdminClient) {}

  show(): Promise<NotificationsOverview> {
    return this.client.send('GET', BASE, { auth: true });
  }

  saveDraft(input: DraftInput): Promise<SavedDraft> {
    return this.client.send('PUT', `${BASE}/draft`, { auth: true, body: input });
  }

  testDraft(): Promise<TestReport> {
    return this.client.send('POST', `${BASE}/draft/test`, { auth: true });
  }

  activate(): Promise<{ active: DestinationRecord }> {
    return this.client.send('POST', `${BASE}/draft/activate`, { auth: true });
  }

  deactivate(): Promise<{ active: null; draft: DestinationRecord }> {
    return this.client.send('POST', `${BASE}/deactivate`, { auth: true });
  }

  async discardDraft(): Promise<void> {
    await this.client.send('DELETE', `${BASE}/draft`, { auth: true });
  }

  deliveries(query: { status?: 'delivered' | 'failed'; test?: boolean } = {}): Promise<NotificationDeliveryView[]> {
    return this.client.listAll(`${BASE}/deliveries`, 'notification deliveries', { status: query.status, test: query.test === undefined ? undefined : String(query.test) });
  }

  events(query: { status?: NotificationEventView['status']; category?: NotificationEventView['category'] } = {}): Promise<NotificationEventView[]> {
    return this.client.listAll(`${BASE}/events`, 'notification events', query);
  }

  retry(id: string): Promise<NotificationEventView> {
    return this.client.send('POST', `${BASE}/events/${encodeURIComponent(id)}/retry`, { auth: true });
  }

  deliverNow(): Promise<DeliveryPass> {
    return this.client.send('POST', `${BASE}/deliver`, { auth: true });
  }
}
