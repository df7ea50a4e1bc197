/**
 * One session's spend per agent: the main agent first, then each subagent (started with Claude
 * Code's Task/Agent tool) with the agent that started it, oldest first.
 */
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { KeyValueList } from '../../components/KeyValueList.js';
import { Loading } from '../../components/Loading.js';
import { Section } from '../../components/Section.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import { formatDateTime, formatInteger, formatTokens, formatUsd } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import type { SessionDetailView } from './types.js';

type Agent = SessionDetailView['agents'][number];

const COLUMNS: readonly SimpleColumn<Agent>[] = [
  { header: 'Agent', rowHeader: true, render: (agent) => (agent.main ? 'Main agent' : <span className="mono">{agent.agent_id}</span>) },
  { header: 'Started by', render: (agent) => (agent.main ? '—' : agent.parent_agent_id === null ? 'Main agent' : <span className="mono">{agent.parent_agent_id}</span>) },
  { header: 'Requests', align: 'right', render: (agent) => formatInteger(agent.requests) },
  { header: 'Tokens', align: 'right', render: (agent) => formatTokens(agent.tokens) },
  { header: 'Spend', align: 'right', render: (agent) => formatUsd(agent.cost_usd) },
  { header: 'First request', render: (agent) => formatDateTime(agent.first_at) },
];

export function SessionAgentsSection({ sessionId, range, onClose }: { sessionId: string; range: TimeRange; onClose: () => void }) {
  const detail = useAnalytics<SessionDetailView>(`/admin/analytics/sessions/${encodeURIComponent(sessionId)}`, range);
  const subagents = detail.data?.agents.filter((agent) => !agent.main) ?? [];
  return (
    <Section
      id="session-agents"
      title={`Agents of session ${sessionId}`}
      description="The main agent is the Claude Code conversation itself; subagents are the ones it started (Task/Agent tool), each with the agent that started it."
      actions={
        <button type="button" className="button button-small" onClick={onClose}>
          Close
        </button>
      }
    >
      {detail.isPending ? (
        <Loading />
      ) : detail.isError ? (
        <ErrorMessage error={detail.error} />
      ) : (
        <>
          <KeyValueList
            items={[
              { label: 'User', value: detail.data.user_email ?? detail.data.user_id ?? '—' },
              { label: 'Spend', value: formatUsd(detail.data.cost_usd) },
              { label: 'Subagents', value: `${subagents.length}, ${formatUsd(subagents.reduce((sum, agent) => sum + agent.cost_usd, 0))}` },
              { label: 'Requests', value: formatInteger(detail.data.requests) },
            ]}
          />
          {detail.data.agents.length === 0 ? (
            <EmptyState title="No agents in this range." />
          ) : (
            <SimpleTable label={`Agents of session ${sessionId}`} columns={COLUMNS} rows={detail.data.agents} rowKey={(agent) => agent.agent_id ?? 'main'} />
          )}
        </>
      )}
    </Section>
  );
}
