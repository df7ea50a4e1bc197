/**
 * Tool names as the ledger keeps them: `tool_names` and `tool_errors` are comma-separated lists
 * with one entry per call (tool names match `[a-zA-Z0-9_-]+`, so a comma never occurs in one).
 * Claude Code names MCP tools `mcp__<server>__<tool>`; every other name is a built-in tool.
 */

export interface ToolKind {
  readonly type: 'builtin' | 'mcp';
  /** The MCP server (`github` for `mcp__github__search`), null for a built-in tool. */
  readonly server: string | null;
}

const MCP_PREFIX = 'mcp__';

export function toolKindOf(name: string): ToolKind {
  if (!name.startsWith(MCP_PREFIX)) return { type: 'builtin', server: null };
  const rest = name.slice(MCP_PREFIX.length);
  const end = rest.indexOf('__');
  return { type: 'mcp', server: end === -1 ? rest : rest.slice(0, end) };
}

export function toolList(names: readonly string[]): string | null {
  return names.length > 0 ? names.join(',') : null;
}

export function toolNamesOf(list: string | null | undefined): string[] {
  return list ? list.split(',').filter((name) => name.length > 0) : [];
}
