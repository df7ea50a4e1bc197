/**
 * Budget alerts (spec §10: Time | Type | User / Team | Threshold | Spend | Limit | Delivered): one
 * row each time a user, team or key crossed a threshold of its budget in a period (at most once
 * per threshold and period), and whether its notification went out (see the Notifications page).
 */
import { Link } from 'react-router';
import { listFetcher } from '../../api/client.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FilterSelect, useUrlFilters } from '../../components/FilterSelect.js';
import { PageHeader } from '../../components/PageHeader.js';
import { formatDateTime, formatPercent, formatUsd } from '../../lib/format.js';
import { subjectLabel, SUBJECT_TYPE_LABEL } from '../../lib/budgets.js';
import { DELIVERY_BADGE, DELIVERY_EXPLANATION, DELIVERY_LABEL } from '../notifications/notification-logic.js';
import { ALERT_RANGE_OPTIONS, ALERT_TYPE_OPTIONS, alertLevel, alertTimeFilter, alertTypeLabel } from './alert-logic.js';
import type { BudgetEvent } from './types.js';

const FILTERS = ['event_type', 'subject_type', 'range', 'from', 'to'] as const;
const SUBJECT_OPTIONS = (['user', 'team', 'key'] as const).map((type) => ({ value: type, label: SUBJECT_TYPE_LABEL[type] }));

/** Where the alert's notification stands, in words; when none was sent, where to set notifications up. */
function Delivery({ event }: { event: BudgetEvent }) {
  const state = event.delivery;
  return (
    <span className="cell-stack">
      <span className={DELIVERY_BADGE[state]} title={DELIVERY_EXPLANATION[state]}>
        {DELIVERY_LABEL[state]}
      </span>
      {state === 'delivered' && event.delivered_at ? <span className="muted cell-note">{formatDateTime(event.delivered_at)}</span> : null}
      {state === 'not_configured' ? (
        <span className="muted cell-note">
          No destination. <Link to="/notifications">Set up notifications</Link>
        </span>
      ) : null}
      {state === 'dead' || state === 'skipped' ? (
        <span className="muted cell-note">
          <Link to="/notifications">Retry from Notifications</Link>
        </span>
      ) : null}
    </span>
  );
}

function Subject({ event }: { event: BudgetEvent }) {
  const detail = event.subject_type === 'user' ? event.team_name : event.subject_type === 'key' ? event.user_email : null;
  return (
    <span className="cell-stack">
      <span>
        {event.subject_type === 'key' && event.subject_name !== null ? <span className="mono">{event.subject_name}…</span> : subjectLabel(event.subject_name)}{' '}
        {event.subject_type === 'user' ? null : <span className="badge">{SUBJECT_TYPE_LABEL[event.subject_type]}</span>}
      </span>
      {detail ? <span className="muted cell-note">{detail}</span> : null}
    </span>
  );
}

const columns: Column<BudgetEvent>[] = [
  { header: 'Time', sort: 'created_at', render: (event) => formatDateTime(event.created_at), csv: (event) => event.created_at },
  { header: 'Type', sort: 'event_type', render: (event) => <span className={`badge badge-${alertLevel(event.event_type)}`}>{alertTypeLabel(event.event_type)}</span>, csv: (event) => event.event_type },
  { header: 'User / Team', render: (event) => <Subject event={event} />, csv: (event) => subjectLabel(event.subject_name) },
  { header: 'Threshold', sort: 'threshold_percent', align: 'right', render: (event) => `${event.threshold_percent}%`, csv: (event) => event.threshold_percent },
  {
    header: 'Spend',
    align: 'right',
    render: (event) => (
      <span className="cell-stack">
        <span>{formatUsd(event.spend_usd)}</span>
        <span className="muted cell-note">{formatPercent(event.percent, { fromPercent: true })}</span>
      </span>
    ),
    csv: (event) => event.spend_usd,
  },
  {
    header: 'Limit',
    align: 'right',
    render: (event) => (
      <span className="cell-stack">
        <span>{formatUsd(event.limit_usd)}</span>
        <span className="muted cell-note">{event.period}</span>
      </span>
    ),
    csv: (event) => event.limit_usd,
  },
  {
    header: 'Delivered',
    render: (event) => <Delivery event={event} />,
    csv: (event) => event.delivery,
  },
];

export default function BudgetAlertsPage() {
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const time = alertTimeFilter(filters.range, filters.from, filters.to, Date.now());
  const query = { event_type: filters.event_type, subject_type: filters.subject_type, ...time };
  const filtered = Object.values(query).some(Boolean);

  return (
    <>
      <PageHeader
        title="Budget alerts"
        description="Each time a user, a team or a key crosses a threshold of its budget, one alert is recorded: at most once per threshold and period, however many requests cross it."
      />
      <p className="notice">
        Delivered says whether the alert was sent to the gateway’s notification destination (a webhook, Amazon SNS or EventBridge). Set that up, test it and
        see failed deliveries on <Link to="/notifications">Notifications</Link>.
      </p>
      <DataTable<BudgetEvent>
        label="Budget alerts"
        queryKey={['admin', 'budget-events', query]}
        fetchPage={listFetcher<BudgetEvent>('/admin/budget-events', query)}
        columns={columns}
        rowKey={(event) => event.id}
        defaultSort={{ sort: 'created_at', order: 'desc' }}
        searchLabel="Search user, team or key"
        toolbar={
          <>
            <FilterSelect label="Type" allLabel="All types" options={ALERT_TYPE_OPTIONS} value={filters.event_type} onChange={(event_type) => setFilters({ event_type })} />
            <FilterSelect label="Subject" allLabel="Users, teams and keys" options={SUBJECT_OPTIONS} value={filters.subject_type} onChange={(subject_type) => setFilters({ subject_type })} />
            <FilterSelect label="Time" allLabel="Any time" options={ALERT_RANGE_OPTIONS} value={filters.range} onChange={(range) => setFilters({ range, from: '', to: '' })} />
            {filters.range === 'custom' ? (
              <>
                <span className="filter">
                  <label htmlFor="alerts-from">From (UTC)</label>
                  <input id="alerts-from" type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => setFilters({ from: event.target.value })} />
                </span>
                <span className="filter">
                  <label htmlFor="alerts-to">To (UTC)</label>
                  <input id="alerts-to" type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => setFilters({ to: event.target.value })} />
                </span>
              </>
            ) : null}
          </>
        }
        empty={
          filtered ? (
            <EmptyState title="No alerts match these filters.">
              <button type="button" className="button button-small" onClick={() => setFilters({ event_type: '', subject_type: '', range: '', from: '', to: '' })}>
                Clear filters
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No budget alerts yet.">
              Budget alerts appear when a user or a team crosses a threshold of its budget. Set budgets first on the <Link to="/budgets">Budgets</Link> page.
            </EmptyState>
          )
        }
      />
    </>
  );
}
