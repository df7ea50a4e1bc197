/**
 * Delivery history (Time | Event | Status | Duration | Error): one row per attempt, test
 * deliveries included, newest first, so a failing destination shows what it answered.
 */
import { listFetcher } from '../../api/client.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Section } from '../../components/Section.js';
import { formatDateTime, formatDuration } from '../../lib/format.js';
import { eventTypeLabel, TYPE_LABEL } from './notification-logic.js';
import { NOTIFICATIONS_QUERY } from './queries.js';
import type { DeliveryAttempt } from './types.js';

const COLUMNS: Column<DeliveryAttempt>[] = [
  { header: 'Time', sort: 'attempted_at', render: (row) => formatDateTime(row.attempted_at), csv: (row) => row.attempted_at },
  {
    header: 'Event',
    sort: 'event_type',
    render: (row) => (
      <span className="cell-stack">
        <span>
          {eventTypeLabel(row.event_type)} {row.test ? <span className="badge">test</span> : null}
        </span>
        <span className="muted cell-note">
          {TYPE_LABEL[row.destination_type] ?? row.destination_type}
          {row.attempt > 1 ? `, attempt ${row.attempt}` : ''}
        </span>
      </span>
    ),
    csv: (row) => row.event_type,
  },
  {
    header: 'Status',
    render: (row) => (
      <span className="cell-stack">
        <span className={`badge ${row.status === 'delivered' ? 'badge-ok' : 'badge-danger'}`}>{row.status}</span>
        {row.http_status !== null ? <span className="muted cell-note">HTTP {row.http_status}</span> : null}
      </span>
    ),
    csv: (row) => row.status,
  },
  { header: 'Duration', sort: 'duration_ms', align: 'right', render: (row) => formatDuration(row.duration_ms), csv: (row) => row.duration_ms },
  { header: 'Error', render: (row) => (row.error ? <span className="cell-note-wrap">{row.error}</span> : '—'), csv: (row) => row.error ?? '' },
];

export function DeliveryHistory({ hasDestination }: { hasDestination: boolean }) {
  return (
    <Section id="notifications-history" title="Delivery history" description="Every delivery attempt, tests included. Failed attempts are retried with growing delays.">
      <DataTable<DeliveryAttempt>
        label="Delivery history"
        stateKey="history"
        queryKey={[...NOTIFICATIONS_QUERY, 'deliveries']}
        fetchPage={listFetcher<DeliveryAttempt>('/admin/notifications/deliveries')}
        columns={COLUMNS}
        rowKey={(row) => row.id}
        defaultSort={{ sort: 'attempted_at', order: 'desc' }}
        empty={
          <EmptyState title="No delivery history yet.">
            {hasDestination
              ? 'Send a test delivery from the draft: it shows up here with what the destination answered.'
              : 'Configure a destination and save it as a draft, then send a test delivery: every attempt, tests included, shows up here.'}
          </EmptyState>
        }
      />
    </Section>
  );
}
