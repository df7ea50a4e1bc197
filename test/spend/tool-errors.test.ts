/** Tool failures reported by the client, and how tool names are read (pure). */
import { describe, expect, test } from 'vitest';
import { toolErrorsOf } from '../../src/spend/tool-errors.js';
import { toolKindOf, toolList, toolNamesOf } from '../../src/spend/tool-names.js';

const assistant = (...blocks: unknown[]) => ({ role: 'assistant', content: blocks });
const user = (...blocks: unknown[]) => ({ role: 'user', content: blocks });
const use = (id: string, name: string) => ({ type: 'tool_use', id, name, input: {} });
const result = (id: string, isError?: boolean) => ({ type: 'tool_result', tool_use_id: id, content: 'x', ...(isError === undefined ? {} : { is_error: isError }) });

describe('toolErrorsOf', () => {
  test('names each failed result of the last user message through the previous assistant message', () => {
    const body = {
      messages: [
        user({ type: 'text', text: 'go' }),
        assistant({ type: 'text', text: 'ok' }, use('t1', 'Bash'), use('t2', 'mcp__github__search'), use('t3', 'Bash'), use('t4', 'Read')),
        user(result('t1', true), result('t2', true), result('t3', true), result('t4', false), { type: 'text', text: 'more' }),
      ],
    };
    expect(toolErrorsOf(body)).toEqual(['Bash', 'mcp__github__search', 'Bash']);
  });

  test('only the last exchange counts: earlier failures were recorded by earlier requests', () => {
    const body = { messages: [assistant(use('a', 'Bash')), user(result('a', true)), assistant(use('b', 'Read')), user(result('b'))] };
    expect(toolErrorsOf(body)).toEqual([]);
  });

  test('a result whose call is not in the previous message is not attributed', () => {
    const body = { messages: [assistant(use('a', 'Bash')), user(result('zzz', true), result('a', true))] };
    expect(toolErrorsOf(body)).toEqual(['Bash']);
  });

  test.each([
    ['no body', undefined],
    ['no messages', {}],
    ['messages not an array', { messages: 'x' }],
    ['one message', { messages: [user(result('a', true))] }],
    ['string content', { messages: [assistant(use('a', 'Bash')), { role: 'user', content: 'plain text' }] }],
    ['last message from the assistant', { messages: [user(result('a', true)), assistant(use('a', 'Bash'))] }],
    ['previous message not the assistant', { messages: [user(use('a', 'Bash')), user(result('a', true))] }],
    ['is_error not literally true', { messages: [assistant(use('a', 'Bash')), user({ ...result('a'), is_error: 'true' })] }],
    ['odd blocks', { messages: [assistant(null, 7, { type: 'tool_use', id: 1, name: 'X' }), user(null, 'x', { type: 'tool_result', is_error: true })] }],
  ])('tolerates %s', (_, body) => {
    expect(toolErrorsOf(body)).toEqual([]);
  });
});

describe('tool names', () => {
  test('MCP tools name their server; others are built-in', () => {
    expect(toolKindOf('mcp__github__search_issues')).toEqual({ type: 'mcp', server: 'github' });
    expect(toolKindOf('mcp__my_server__do__it')).toEqual({ type: 'mcp', server: 'my_server' });
    expect(toolKindOf('mcp__bare')).toEqual({ type: 'mcp', server: 'bare' });
    expect(toolKindOf('Bash')).toEqual({ type: 'builtin', server: null });
  });

  test('lists keep one entry per call', () => {
    expect(toolList(['Bash', 'Bash', 'Read'])).toBe('Bash,Bash,Read');
    expect(toolList([])).toBeNull();
    expect(toolNamesOf('Bash,Bash,Read')).toEqual(['Bash', 'Bash', 'Read']);
    expect(toolNamesOf(null)).toEqual([]);
    expect(toolNamesOf(undefined)).toEqual([]);
  });
});
