import { describe, expect, it } from 'vitest';
import { gatewayBase, quoteForShell } from '../../portal/src/lib/shell.js';

const URL = 'https://ccag.example.com';
const KEY = 'sk-ccag-1a2b3c4d5e6f';

describe('gatewayBase', () => {
  it('drops trailing slashes and whitespace', () => {
    expect(gatewayBase(' https://ccag.example.com/// ')).toBe(URL);
    expect(gatewayBase('http://127.0.0.1:18130')).toBe('http://127.0.0.1:18130');
  });
});

describe('quoteForShell', () => {
  it('leaves safe words bare', () => {
    expect(quoteForShell(URL)).toBe(URL);
    expect(quoteForShell(KEY)).toBe(KEY);
    expect(quoteForShell('http://127.0.0.1:8080/base')).toBe('http://127.0.0.1:8080/base');
  });

  it('single-quotes anything a shell would expand or split, escaping quotes', () => {
    expect(quoteForShell('https://gw.example.com/a b')).toBe("'https://gw.example.com/a b'");
    expect(quoteForShell('$HOME')).toBe("'$HOME'");
    expect(quoteForShell("it's")).toBe("'it'\\''s'");
    expect(quoteForShell('')).toBe("''");
  });
});
