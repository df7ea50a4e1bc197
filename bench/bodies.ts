/**
 * The request bodies the benchmark sends: a tiny streaming request, and a realistic Claude Code
 * turn (~80 KB of JSON) built the way Claude Code builds one — a system prompt with cache_control,
 * a full set of tool definitions with JSON schemas, and a long conversation made of text,
 * tool_use and tool_result blocks (file reads, greps, edits, shell output). The content is
 * generated deterministically so every run sends exactly the same bytes. It carries no mock
 * directive (`[[...]]`), so the mock answers with its default short streamed reply.
 */

export const MODEL = 'claude-sonnet-4-5';

export const SMALL_BODY = JSON.stringify({
  model: MODEL,
  max_tokens: 64,
  stream: true,
  messages: [{ role: 'user', content: 'hi' }],
});

/** Headers Claude Code sends on every Messages call (minus the credential, added per target). */
export const CLAUDE_CODE_HEADERS: Record<string, string> = {
  'content-type': 'application/json',
  accept: 'application/json',
  'anthropic-version': '2023-06-01',
  'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14',
  'anthropic-dangerous-direct-browser-access': 'true',
  'user-agent': 'claude-cli/2.1.197 (external, cli)',
  'x-app': 'cli',
  'x-stainless-lang': 'js',
  'x-stainless-package-version': '0.60.0',
  'x-stainless-runtime': 'node',
  'x-stainless-runtime-version': 'v20.18.0',
  'x-stainless-retry-count': '0',
  'x-stainless-timeout': '600',
  'x-claude-code-session-id': '6f1c2a9e-1b7d-4c55-9a39-0d8e2f7b3c41',
};

/** A small deterministic PRNG (mulberry32) so the generated conversation never changes. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'request', 'gateway', 'upstream', 'ledger', 'stream', 'token', 'budget', 'session', 'endpoint', 'retry', 'header', 'payload',
  'cache', 'usage', 'model', 'route', 'handler', 'error', 'status', 'buffer', 'config', 'settings', 'store', 'key', 'user',
  'team', 'limit', 'price', 'event', 'message', 'delta', 'content', 'block', 'signal', 'abort', 'timeout', 'socket', 'pool',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function camel(random: () => number, parts: number): string {
  let name = pick(random, WORDS);
  for (let i = 1; i < parts; i++) {
    const word = pick(random, WORDS);
    name += word[0]!.toUpperCase() + word.slice(1);
  }
  return name;
}

/** Plausible TypeScript source, with `cat -n` style line numbers like Claude Code's Read tool. */
function sourceFile(random: () => number, lines: number, numbered: boolean): string {
  const out: string[] = [];
  let indent = 0;
  for (let i = 1; i <= lines; i++) {
    const roll = random();
    const depth = indent;
    let line: string;
    if (indent === 0 && roll < 0.15) {
      line = `import { ${camel(random, 2)}, type ${camel(random, 1)} } from './${pick(random, WORDS)}/${camel(random, 2)}.js';`;
    } else if (indent === 0 && roll < 0.3) {
      line = `export async function ${camel(random, 3)}(${camel(random, 1)}: ${camel(random, 2)}, options: { ${pick(random, WORDS)}?: number } = {}): Promise<void> {`;
      indent = 1;
    } else if (indent > 0 && roll < 0.12) {
      indent -= 1;
      line = '}';
      out.push(numbered ? `${String(i).padStart(6, ' ')}\u2192${'  '.repeat(indent)}${line}` : `${'  '.repeat(indent)}${line}`);
      continue;
    } else if (indent > 0 && roll < 0.25) {
      line = `if (${camel(random, 2)}.${pick(random, WORDS)} === undefined || ${camel(random, 1)} > ${Math.floor(random() * 1000)}) {`;
      indent += 1;
    } else if (roll < 0.35) {
      line = `// ${pick(random, WORDS)} the ${pick(random, WORDS)} before the ${pick(random, WORDS)} is ${pick(random, WORDS)}ed, so the ${pick(random, WORDS)} stays consistent.`;
    } else {
      line = `const ${camel(random, 2)} = await deps.${camel(random, 2)}.${camel(random, 1)}(${camel(random, 1)}, { ${pick(random, WORDS)}: ${Math.floor(random() * 100)} });`;
    }
    const text = `${'  '.repeat(depth)}${line}`;
    out.push(numbered ? `${String(i).padStart(6, ' ')}\u2192${text}` : text);
  }
  return out.join('\n');
}

function prose(random: () => number, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const words = 8 + Math.floor(random() * 12);
    const sentence: string[] = [];
    for (let w = 0; w < words; w++) sentence.push(pick(random, WORDS));
    const text = sentence.join(' ');
    out.push(text[0]!.toUpperCase() + text.slice(1) + '.');
  }
  return out.join(' ');
}

interface ToolDef {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

function tool(random: () => number, name: string, properties: Record<string, { type: string; description: string }>, required: string[]): ToolDef {
  return {
    name,
    description: `${name}: ${prose(random, 14)}\n\nUsage notes:\n- ${prose(random, 3)}\n- ${prose(random, 3)}\n- ${prose(random, 2)}`,
    input_schema: {
      type: 'object',
      properties,
      required,
      additionalProperties: false,
      $schema: 'http://json-schema.org/draft-07/schema#',
    },
  };
}

function tools(random: () => number): ToolDef[] {
  const s = (description: string) => ({ type: 'string', description });
  const n = (description: string) => ({ type: 'number', description });
  const b = (description: string) => ({ type: 'boolean', description });
  return [
    tool(random, 'Task', { description: s('A short (3-5 word) description of the task'), prompt: s('The task for the agent to perform'), subagent_type: s('The type of specialized agent to use') }, ['description', 'prompt', 'subagent_type']),
    tool(random, 'Bash', { command: s('The command to execute'), timeout: n('Optional timeout in milliseconds (max 600000)'), description: s('Clear, concise description of what this command does'), run_in_background: b('Run this command in the background') }, ['command']),
    tool(random, 'Glob', { pattern: s('The glob pattern to match files against'), path: s('The directory to search in') }, ['pattern']),
    tool(random, 'Grep', { pattern: s('The regular expression pattern to search for'), path: s('File or directory to search in'), glob: s('Glob pattern to filter files'), output_mode: s('Output mode: content, files_with_matches or count'), '-n': b('Show line numbers'), '-i': b('Case insensitive search') }, ['pattern']),
    tool(random, 'LS', { path: s('The absolute path to the directory to list') }, ['path']),
    tool(random, 'ExitPlanMode', { plan: s('The plan you came up with') }, ['plan']),
    tool(random, 'Read', { file_path: s('The absolute path to the file to read'), offset: n('The line number to start reading from'), limit: n('The number of lines to read') }, ['file_path']),
    tool(random, 'Edit', { file_path: s('The absolute path to the file to modify'), old_string: s('The text to replace'), new_string: s('The text to replace it with'), replace_all: b('Replace all occurrences') }, ['file_path', 'old_string', 'new_string']),
    tool(random, 'MultiEdit', { file_path: s('The absolute path to the file to modify'), edits: s('Array of edit operations to perform sequentially') }, ['file_path', 'edits']),
    tool(random, 'Write', { file_path: s('The absolute path to the file to write'), content: s('The content to write to the file') }, ['file_path', 'content']),
    tool(random, 'NotebookEdit', { notebook_path: s('The absolute path to the Jupyter notebook'), cell_id: s('The ID of the cell to edit'), new_source: s('The new source for the cell') }, ['notebook_path', 'new_source']),
    tool(random, 'WebFetch', { url: s('The URL to fetch content from'), prompt: s('The prompt to run on the fetched content') }, ['url', 'prompt']),
    tool(random, 'TodoWrite', { todos: s('The updated todo list') }, ['todos']),
    tool(random, 'WebSearch', { query: s('The search query to use'), allowed_domains: s('Only include results from these domains') }, ['query']),
    tool(random, 'BashOutput', { bash_id: s('The ID of the background shell') }, ['bash_id']),
    tool(random, 'KillShell', { shell_id: s('The ID of the background shell to kill') }, ['shell_id']),
    tool(random, 'mcp__github__search_code', { q: s('Search query'), per_page: n('Results per page') }, ['q']),
  ];
}

type Block = Record<string, unknown>;
type Message = { role: 'user' | 'assistant'; content: string | Block[] };

/** One agentic step: the assistant calls a tool, the user turn carries its result. */
function step(random: () => number, index: number): Message[] {
  const id = `toolu_01${index.toString(36).padStart(4, '0')}${Math.floor(random() * 1e12).toString(36)}`;
  const file = `/home/dev/project/src/${pick(random, WORDS)}/${camel(random, 2)}.ts`;
  const kind = index % 5;
  let call: Block;
  let result: string;
  if (kind === 0) {
    call = { type: 'tool_use', id, name: 'Read', input: { file_path: file } };
    result = sourceFile(random, 40 + Math.floor(random() * 40), true);
  } else if (kind === 1) {
    call = { type: 'tool_use', id, name: 'Grep', input: { pattern: camel(random, 2), path: '/home/dev/project/src', output_mode: 'content', '-n': true } };
    const hits: string[] = [];
    for (let i = 0; i < 12; i++) hits.push(`/home/dev/project/src/${pick(random, WORDS)}/${camel(random, 2)}.ts:${Math.floor(random() * 400)}:${sourceFile(random, 1, false).trim()}`);
    result = hits.join('\n');
  } else if (kind === 2) {
    const before = sourceFile(random, 4, false);
    call = { type: 'tool_use', id, name: 'Edit', input: { file_path: file, old_string: before, new_string: `${before}\n${sourceFile(random, 3, false)}` } };
    result = `The file ${file} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${sourceFile(random, 12, true)}`;
  } else if (kind === 3) {
    call = { type: 'tool_use', id, name: 'Bash', input: { command: 'npm test -- --reporter=dot', description: 'Run the test suite' } };
    const out: string[] = ['> ccag@0.1.0 test', '> tsc -p tsconfig.json && vitest run', ''];
    for (let i = 0; i < 14; i++) out.push(` \u2713 test/${pick(random, WORDS)}/${camel(random, 2)}.test.ts (${1 + Math.floor(random() * 20)} tests) ${Math.floor(random() * 900)}ms`);
    out.push('', ` Test Files  14 passed (14)`, `      Tests  ${100 + Math.floor(random() * 200)} passed`, '   Duration  4.21s');
    result = out.join('\n');
  } else {
    call = { type: 'tool_use', id, name: 'TodoWrite', input: { todos: [{ content: prose(random, 1), status: 'completed', activeForm: prose(random, 1) }, { content: prose(random, 1), status: 'in_progress', activeForm: prose(random, 1) }] } };
    result = 'Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress.';
  }
  return [
    { role: 'assistant', content: [{ type: 'text', text: prose(random, 2) }, call] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: result }] },
  ];
}

/** The ~80 KB Claude Code turn (targetBytes of UTF-8 JSON, within a few dozen bytes). */
export function buildClaudeCodeBody(targetBytes = 80 * 1024): string {
  const random = prng(20250929);
  const body = {
    model: MODEL,
    max_tokens: 32000,
    stream: true,
    temperature: 1,
    metadata: {
      user_id: 'user_4b1f0c2d9e8a7f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b_account__session_6f1c2a9e-1b7d-4c55-9a39-0d8e2f7b3c41',
    },
    system: [
      { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: 'ephemeral' } },
      {
        type: 'text',
        text:
          `You are an interactive CLI tool that helps users with software engineering tasks. ${prose(random, 60)}\n\n` +
          `# Tone and style\n${prose(random, 25)}\n\n# Doing tasks\n${prose(random, 25)}\n\n# Tool usage policy\n${prose(random, 20)}\n\n` +
          `<env>\nWorking directory: /home/dev/project\nIs directory a git repo: Yes\nPlatform: linux\nToday's date: 2026-03-02\n</env>`,
        cache_control: { type: 'ephemeral' },
      },
    ],
    tools: tools(random),
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: `<system-reminder>\n${prose(random, 10)}\n</system-reminder>` },
          { type: 'text', text: 'The spend ledger drops rows when the upstream stream ends early. Find out why and fix it, with a test.' },
        ],
      },
    ] as Message[],
  };
  let index = 0;
  for (;;) {
    const next = step(random, index);
    const grown = Buffer.byteLength(JSON.stringify({ ...body, messages: [...body.messages, ...next] }));
    if (grown > targetBytes && index > 0) break;
    body.messages.push(...next);
    index += 1;
  }
  // Claude Code marks the newest user turn for prompt caching.
  const last = body.messages.at(-1)!;
  const blocks = last.content as Block[];
  blocks[blocks.length - 1] = { ...blocks[blocks.length - 1], cache_control: { type: 'ephemeral' } };
  // Top up with a text block so the size lands close to the target.
  const current = Buffer.byteLength(JSON.stringify(body));
  const missing = targetBytes - current - 40;
  if (missing > 0) blocks.push({ type: 'text', text: prose(random, 200).slice(0, missing) });
  return JSON.stringify(body);
}
