/**
 * Attribution: spend by billing group and by Claude Code session over a chosen range, and a
 * session's split between its main agent and subagents (docs/attribution.md). Admins see every
 * user's requests; members their own (the API scopes it). The open session is kept in the address.
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../../app/session.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { TimeRangePicker } from '../../components/charts/TimeRangePicker.js';
import { useTimeRange } from '../../lib/use-time-range.js';
import { BillingGroupsTable } from './BillingGroupsTable.js';
import { SessionAgentsSection } from './SessionAgentsSection.js';
import { SessionsTable } from './SessionsTable.js';

function useOpenSession(): [string | null, (sessionId: string | null) => void] {
  const [search, setSearch] = useSearchParams();
  const open = useCallback(
    (sessionId: string | null) =>
      setSearch((current) => {
        const params = new URLSearchParams(current);
        if (sessionId === null) params.delete('session');
        else params.set('session', sessionId);
        return params;
      }),
    [setSearch],
  );
  return [search.get('session'), open];
}

export default function AttributionPage() {
  const { isAdmin } = useSession();
  const timeRange = useTimeRange();
  const { range } = timeRange;
  const [sessionId, openSession] = useOpenSession();
  return (
    <>
      <PageHeader
        title="Attribution"
        description={isAdmin ? 'Spend by billing group and by Claude Code session, with what subagents cost.' : 'Your spend by billing group and by Claude Code session.'}
        actions={<TimeRangePicker value={timeRange} />}
      />
      <Section
        id="billing-groups"
        title="By billing group"
        description={
          <>
            A request joins a billing group through its <code>tags.billing_group</code> field (with the <code>request-tags-2026-08-21</code> beta). Requests without one
            are “Untagged”.
          </>
        }
      >
        <BillingGroupsTable range={range} />
      </Section>
      <Section
        id="sessions"
        title="By session"
        description="One row per Claude Code session. Subagents is the part of the spend its subagents made; Agents counts the main agent and each subagent."
      >
        <SessionsTable range={range} isAdmin={isAdmin} onOpen={openSession} />
      </Section>
      {sessionId === null ? null : <SessionAgentsSection sessionId={sessionId} range={range} onClose={() => openSession(null)} />}
    </>
  );
}
