import { describe, expect, it } from 'vitest';
import { parseMcpToolName, shortToolName } from '../../portal/src/features/mcp-servers/mcp-names.js';

describe('parseMcpToolName', () => {
  it('splits mcp__<server>__<tool>', () => {
    expect(parseMcpToolName('mcp__github__create_issue')).toEqual({ server: 'github', tool: 'create_issue' });
    expect(parseMcpToolName('mcp__my_server__search__all')).toEqual({ server: 'my_server', tool: 'search__all' });
  });

  it('is undefined for built-in tools and malformed names', () => {
    for (const name of ['Read', 'mcp__', 'mcp__github', 'mcp__github__', 'mcp____tool', 'xmcp__a__b']) expect(parseMcpToolName(name)).toBeUndefined();
  });
});

describe('shortToolName', () => {
  it('keeps the tool part, or the whole name when it is not an MCP tool name', () => {
    expect(shortToolName('mcp__linear__list_issues')).toBe('list_issues');
    expect(shortToolName('Bash')).toBe('Bash');
  });
});
