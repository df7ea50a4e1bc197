/**
 * The outbox: every event waits here until it is delivered (or given up on), so a slow or broken
 * destination never holds up a request. The counts, a delivery pass on demand, and the events
 * themselves, filtered by status, with Retry for those that failed for good or were skipped.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { api, listFetcher } from '../../api/client.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FilterSelect, useUrlFilters } from '../../components/FilterSelect.js';
import { FormError } from '../../components/Form.js';
import { Section } from '../../components/Section.js';
import { formatDateTime, formatInteger } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { CATEGORY_LABEL, deliverResultText, DELIVERY_BADGE, DELIVERY_LABEL, eventTypeLabel, everyText, outboxState } from './notification-logic.js';
import { NOTIFICATIONS_QUERY } from './queries.js';
import type { DeliverResult, NotificationsState, OutboxEvent, OutboxStatus } from './types.js';

const STATUS_OPTIONS: { value: OutboxStatus; label: string }[] = [
  { value: 'pending', label: 'Queued or retrying' },
  { value: 'dead', label: 'Failed' },
  { value: 'skipped', label: 'Skipped' },
  { value: 'delivered', label: 'Delivered' },
];

function RetryButton({ event, onChanged }: { event: OutboxEvent; onChanged: () => Promise<unknown> }) {
  const { busy, error, run } = useAction();
  return (
    <span className="cell-stack">
      <button
        type="button"
        className="button button-small"
        disabled={busy}
        aria-label={`Retry ${eventTypeLabel(event.event_type)} of ${formatDateTime(event.created_at)}`}
        onClick={() =>
          void run(async () => {
            await api.post(`/admin/notifications/events/${encodeURIComponent(event.id)}/retry`);
            await onChanged();
          })
        }
      >
        {busy ? 'Retrying…' : 'Retry'}
      </button>
      <FormError error={error} />
    </span>
  );
}

export function OutboxSection({ state, onChanged }: { state: NotificationsState; onChanged: () => Promise<unknown> }) {
  const [filters, setFilters] = useUrlFilters(['outbox'] as const);
  const [passText, setPassText] = useState<string>();
  const pass = useAction();
  const { outbox } = state;

  const deliverNow = () =>
    pass.run(async () => {
      setPassText(undefined);
      setPassText(deliverResultText(await api.post<DeliverResult>('/admin/notifications/deliver'), state.interval_seconds));
      await onChanged();
    });

  const stats = [
    { label: 'Queued', value: outbox.pending, note: `sent within ${state.interval_seconds} s` },
    { label: 'Retrying', value: outbox.retrying, note: 'failed, tried again later' },
    { label: 'Failed', value: outbox.dead, note: 'gave up after every attempt', list: 'dead' as const },
    { label: 'Delivered', value: outbox.delivered_24h, note: 'in the last 24 hours' },
  ];

  const columns: Column<OutboxEvent>[] = [
    { header: 'Time', sort: 'created_at', render: (event) => formatDateTime(event.created_at), csv: (event) => event.created_at },
    {
      header: 'Event',
      sort: 'event_type',
      render: (event) => (
        <span className="cell-stack">
          <span>{eventTypeLabel(event.event_type)}</span>
          <span className="muted cell-note">{CATEGORY_LABEL[event.category] ?? event.category}</span>
        </span>
      ),
      csv: (event) => event.event_type,
    },
    {
      header: 'Status',
      sort: 'status',
      render: (event) => (
        <span className="cell-stack">
          <span className={DELIVERY_BADGE[outboxState(event)]}>{DELIVERY_LABEL[outboxState(event)]}</span>
          <span className="muted cell-note">
            {event.attempts} {event.attempts === 1 ? 'attempt' : 'attempts'}
            {event.status === 'pending' && event.next_attempt_at ? `, next ${formatDateTime(event.next_attempt_at)}` : ''}
            {event.delivered_at ? `, ${formatDateTime(event.delivered_at)}` : ''}
          </span>
        </span>
      ),
      csv: (event) => outboxState(event),
    },
    { header: 'Error', render: (event) => (event.last_error ? <span className="cell-note-wrap">{event.last_error}</span> : '—'), csv: (event) => event.last_error ?? '' },
    { header: 'Actions', align: 'right', render: (event) => (event.status === 'dead' || event.status === 'skipped' ? <RetryButton event={event} onChanged={onChanged} /> : null) },
  ];

  return (
    <Section
      id="notifications-outbox"
      title="Outbox"
      description={`Events wait here until delivered. Each replica tries ${everyText(state.interval_seconds)}; one at a time delivers, so each event goes out once.`}
      actions={
        <button type="button" className="button" disabled={pass.busy} onClick={() => void deliverNow()}>
          {pass.busy ? 'Delivering…' : 'Deliver now'}
        </button>
      }
    >
      {passText ? (
        <p className="notice notice-ok" role="status">
          {passText}
        </p>
      ) : null}
      <FormError error={pass.error} />
      <dl className="stats">
        {stats.map((stat) => (
          <div className="stat" key={stat.label}>
            <dt className="stat-label">{stat.label}</dt>
            <dd className="stat-value">{formatInteger(stat.value)}</dd>
            <dd className="stat-note">
              {stat.note}
              {stat.list && stat.value > 0 ? (
                <>
                  {' · '}
                  <button type="button" className="button button-quiet button-small" onClick={() => setFilters({ outbox: stat.list })}>
                    List them
                  </button>
                </>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      <DataTable<OutboxEvent>
        label="Outbox events"
        stateKey="outbox"
        queryKey={[...NOTIFICATIONS_QUERY, 'events', filters.outbox]}
        fetchPage={listFetcher<OutboxEvent>('/admin/notifications/events', { status: filters.outbox })}
        columns={columns}
        rowKey={(event) => event.id}
        defaultSort={{ sort: 'created_at', order: 'desc' }}
        toolbar={<FilterSelect label="Status" allLabel="All statuses" options={STATUS_OPTIONS} value={filters.outbox} onChange={(outbox) => setFilters({ outbox })} />}
        empty={
          filters.outbox ? (
            <EmptyState title="No events with this status.">
              <button type="button" className="button button-small" onClick={() => setFilters({ outbox: '' })}>
                Show every status
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No events yet.">
              Events are queued here when a budget crosses a threshold or a rate limit refuses a request. Set <Link to="/budgets">budgets</Link> or rate limits
              first; the outbox keeps events even while no destination is active.
            </EmptyState>
          )
        }
      />
    </Section>
  );
}
