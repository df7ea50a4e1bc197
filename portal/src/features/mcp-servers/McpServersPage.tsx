/**
 * MCP servers: the Model Context Protocol servers Claude Code users call tools on, over a chosen
 * range (spec §10: Server | Tools | Calls | Users | Err Rate), each row opening to the server's
 * tools; and where the numbers come from.
 */
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { TimeRangePicker } from '../../components/charts/TimeRangePicker.js';
import { formatInteger, formatPercent } from '../../lib/format.js';
import { errorShare, sharePercent } from '../../lib/ratios.js';
import { analyticsTable } from '../../lib/use-analytics.js';
import { useTimeRange } from '../../lib/use-time-range.js';
import { shortToolName } from './mcp-names.js';
import type { McpServerRow } from './types.js';

function ToolList({ row }: { row: McpServerRow }) {
  const names = [...row.tool_names].sort();
  return (
    <details className="tool-list">
      <summary>
        {formatInteger(row.tools)} {row.tools === 1 ? 'tool' : 'tools'}
        <span className="visually-hidden"> of {row.server}</span>
      </summary>
      <ul>
        {names.map((name) => (
          <li key={name} className="mono" title={name}>
            {shortToolName(name)}
          </li>
        ))}
      </ul>
    </details>
  );
}

const COLUMNS: Column<McpServerRow>[] = [
  { header: 'Server', sort: 'server', render: (row) => <strong className="mono">{row.server}</strong>, csv: (row) => row.server },
  { header: 'Tools', sort: 'tools', render: (row) => <ToolList row={row} />, csv: (row) => row.tool_names.join(' ') },
  { header: 'Calls', sort: 'calls', align: 'right', render: (row) => formatInteger(row.calls), csv: (row) => row.calls },
  { header: 'Users', sort: 'users', align: 'right', render: (row) => formatInteger(row.users), csv: (row) => row.users },
  { header: 'Err Rate', sort: 'error_rate', align: 'right', render: (row) => formatPercent(errorShare(row.errors, row.calls)), csv: (row) => sharePercent(errorShare(row.errors, row.calls)) },
];

export default function McpServersPage() {
  const timeRange = useTimeRange();
  return (
    <>
      <PageHeader
        title="MCP servers"
        description="The MCP servers whose tools Claude Code users call through the gateway, with how often and how often those calls fail."
        actions={<TimeRangePicker value={timeRange} />}
      />
      <Section id="servers" title="Servers" description="Open a server's tool count to see the tools called on it.">
        <DataTable<McpServerRow>
          label="MCP servers"
          {...analyticsTable<McpServerRow>('/admin/analytics/mcp-servers', timeRange.range)}
          columns={COLUMNS}
          rowKey={(row) => row.server}
          defaultSort={{ sort: 'calls', order: 'desc' }}
          searchLabel="Search servers"
          exportCsv
          empty={
            <EmptyState title="No MCP tool calls in this range.">
              MCP servers appear here once Claude Code users call their tools through the gateway: nothing to set up on the gateway side.
            </EmptyState>
          }
        />
      </Section>
      <Section id="how-counted" title="Where these numbers come from">
        <div className="prose">
          <p>
            Claude Code names every tool an MCP server gives it <code>mcp__&lt;server&gt;__&lt;tool&gt;</code>, for example <code>mcp__github__create_issue</code>.
            The server is the name it was configured under in Claude Code; its built-in tools (Read, Edit, Bash, …) have no such prefix and are counted on the
            Dashboard's tool usage instead.
          </p>
          <ul>
            <li>
              <strong>Calls</strong>: each <code>tool_use</code> block in a model response that names one of the server's tools. The tool runs on the developer's
              machine, not on the gateway, so a call is counted when the model asks for it.
            </li>
            <li>
              <strong>Err Rate</strong>: the share of those calls whose result came back with <code>is_error: true</code>, read from the{' '}
              <code>tool_result</code> blocks Claude Code sends in its next request.
            </li>
            <li>
              <strong>Users</strong>: distinct users who called at least one of the server's tools; <strong>Tools</strong>: distinct tools called.
            </li>
          </ul>
        </div>
      </Section>
    </>
  );
}
