import { describe, expect, it } from 'vitest';
import { BetaMemory, blamedBetas } from '../../../src/upstreams/bedrock/beta-memory.js';

describe('blamedBetas', () => {
  const sent = ['claude-code-20250219', 'interleaved-thinking-2025-05-14', 'context-1m-2025-08-07'];

  it('blames the betas the message names', () => {
    expect(blamedBetas('invalid beta flag: context-1m-2025-08-07', sent, new Set())).toEqual(['context-1m-2025-08-07']);
    expect(blamedBetas('Unsupported value interleaved-thinking-2025-05-14', sent, new Set())).toEqual(['interleaved-thinking-2025-05-14']);
  });

  it('blames the unproven betas when the message names none', () => {
    expect(blamedBetas('invalid beta flag', sent, new Set(['claude-code-20250219']))).toEqual(['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07']);
  });

  it('blames nothing for validation errors unrelated to betas', () => {
    expect(blamedBetas('messages: text content blocks must be non-empty', sent, new Set())).toEqual([]);
    expect(blamedBetas('Input is too long.', sent, new Set())).toEqual([]);
  });
});

describe('BetaMemory', () => {
  it('remembers per model', () => {
    const memory = new BetaMemory();
    memory.reject('m1', ['a']);
    memory.reject('m1', ['b']);
    memory.accept('m2', ['a']);
    expect([...memory.rejected('m1')]).toEqual(['a', 'b']);
    expect(memory.rejected('m2').size).toBe(0);
    expect([...memory.accepted('m2')]).toEqual(['a']);
  });
});
