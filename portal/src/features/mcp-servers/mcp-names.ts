/**
 * Claude Code names an MCP tool `mcp__<server>__<tool>`. The server is what an operator
 * configured (`github`, `linear`), the tool what it offers (`create_issue`); a server name may
 * itself contain single underscores, so the first double underscore after the prefix ends it.
 * Pure: test/portal/mcp-names.test.ts.
 */

const PREFIX = 'mcp__';

export function parseMcpToolName(name: string): { server: string; tool: string } | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const rest = name.slice(PREFIX.length);
  const split = rest.indexOf('__');
  if (split <= 0 || split + 2 >= rest.length) return undefined;
  return { server: rest.slice(0, split), tool: rest.slice(split + 2) };
}

/** The tool part of a full name, for listing under its server; a name of another shape as is. */
export function shortToolName(name: string): string {
  return parseMcpToolName(name)?.tool ?? name;
}
