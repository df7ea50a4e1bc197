/**
 * Settings drift: Claude Code sessions of the last 24 hours whose reported managed-settings
 * checksum is not their policy's current one (stale), or who report none (unknown).
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { Section } from '../../components/Section.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import { formatDateTime } from '../../lib/format.js';
import type { DriftReport } from './types.js';

export const DRIFT_QUERY = ['admin', 'policies', 'drift'] as const;

type DriftSession = DriftReport['sessions'][number];

const short = (checksum: string | null) => (checksum ? `${checksum.slice(0, 19)}…` : '—');

const COLUMNS: readonly SimpleColumn<DriftSession>[] = [
  { header: 'User', rowHeader: true, render: (session) => session.email ?? session.user_id },
  { header: 'Status', render: (session) => <span className={`badge ${session.status === 'stale' ? 'badge-warn' : 'badge-draft'}`}>{session.status}</span> },
  { header: 'Session', mono: true, render: (session) => session.session_id },
  { header: 'Reported', mono: true, render: (session) => <span title={session.checksum ?? undefined}>{short(session.checksum)}</span> },
  { header: 'Current', mono: true, render: (session) => <span title={session.expected_checksum ?? undefined}>{short(session.expected_checksum)}</span> },
  { header: 'Last seen', render: (session) => formatDateTime(session.last_seen_at) },
];

export function DriftSection() {
  const drift = useQuery({ queryKey: DRIFT_QUERY, queryFn: () => api.get<DriftReport>('/admin/policies/drift') });
  const summary = drift.data?.summary;
  return (
    <Section
      id="policy-drift"
      title="Settings drift"
      description={
        summary
          ? `Last 24 hours: ${summary.sessions} Claude Code ${summary.sessions === 1 ? 'session' : 'sessions'}, ${summary.current} current, ${summary.stale} stale, ${summary.unknown} unknown.`
          : 'Claude Code sessions running settings older than their policy, or reporting none.'
      }
    >
      {drift.isPending ? (
        <Loading />
      ) : drift.isError ? (
        <ErrorMessage error={drift.error} />
      ) : drift.data.sessions.length === 0 ? (
        <EmptyState title="No session is on stale or unknown settings.">
          Sessions report their settings checksum when Claude Code runs with <code>CLAUDE_CODE_GATEWAY_HINT_HEADERS=1</code> (set it in a policy&apos;s <code>env</code>)
          and fetches managed settings over https.
        </EmptyState>
      ) : (
        <SimpleTable label="Sessions on stale or unknown settings" columns={COLUMNS} rows={drift.data.sessions} rowKey={(session) => session.session_id} />
      )}
    </Section>
  );
}
