/** Tool Usage (spec §10: Tool | Type | Calls): Claude Code's built-in tools and MCP tools, sorted and paged by the server. */
import { Link } from 'react-router';
import { useSession } from '../../app/session.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Section } from '../../components/Section.js';
import { formatInteger } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { analyticsTable } from '../../lib/use-analytics.js';
import type { ToolRow } from './types.js';

const COLUMNS: Column<ToolRow>[] = [
  { header: 'Tool', sort: 'tool', render: (row) => <span className="mono">{row.tool}</span>, csv: (row) => row.tool },
  {
    header: 'Type',
    sort: 'type',
    render: (row) => (row.type === 'mcp' ? <span>MCP{row.server ? <span className="muted"> · {row.server}</span> : null}</span> : 'Built-in'),
    csv: (row) => row.type,
  },
  { header: 'Calls', sort: 'calls', align: 'right', render: (row) => formatInteger(row.calls), csv: (row) => row.calls },
];

export function ToolsTable({ range }: { range: TimeRange }) {
  const { isAdmin } = useSession();
  const table = analyticsTable<ToolRow>('/admin/analytics/tools', range);
  return (
    <Section
      id="tools"
      title="Tool usage"
      description="Tools Claude Code asked to run, counted from the tool calls in its responses."
      actions={
        isAdmin ? (
          <Link className="button button-small" to="/mcp-servers">
            MCP servers
          </Link>
        ) : undefined
      }
    >
      <DataTable<ToolRow>
        label="Tool usage"
        {...table}
        columns={COLUMNS}
        rowKey={(row) => row.tool}
        defaultSort={{ sort: 'calls', order: 'desc' }}
        searchLabel="Search tools"
        stateKey="tools"
        exportCsv
        pageSize={25}
        empty={<EmptyState title="No tool calls in this range.">Tool calls (Read, Edit, Bash, MCP tools, …) are counted as Claude Code makes them through the gateway.</EmptyState>}
      />
    </Section>
  );
}
