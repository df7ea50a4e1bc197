import { describe, expect, it } from 'vitest';
import { formatTime, formatUsd, Output, redactSecrets, renderFields, renderJson, renderTable, type Column } from '../../src/cli/output.js';

interface Row {
  name: string;
  count: number | null;
  on: boolean;
}

const columns: Column<Row>[] = [
  { header: 'Name', value: (row) => row.name },
  { header: 'Count', value: (row) => row.count, align: 'right' },
  { header: 'On', value: (row) => row.on },
];

function capture() {
  const streams = { stdout: '', stderr: '' };
  const io = { stdout: { write: (text: string) => (streams.stdout += text) }, stderr: { write: (text: string) => (streams.stderr += text) } };
  return { streams, io };
}

describe('renderTable', () => {
  it('aligns columns, right-aligns numbers, upper-cases headers and marks empty cells', () => {
    const table = renderTable<Row>(
      [
        { name: 'alpha', count: 5, on: true },
        { name: 'b', count: 1234, on: false },
        { name: 'gamma ray\nburst', count: null, on: true },
      ],
      columns,
    );
    expect(table).toBe(
      ['NAME             COUNT  ON', 'alpha                5  yes', 'b                 1234  no', 'gamma ray burst      -  yes', ''].join('\n'),
    );
  });

  it('prints just the header for no rows', () => {
    expect(renderTable<Row>([], columns)).toBe('NAME  COUNT  ON\n');
  });
});

describe('renderFields', () => {
  it('aligns labels', () => {
    expect(renderFields<Row>({ name: 'alpha', count: null, on: false }, columns)).toBe('Name:   alpha\nCount:  -\nOn:     no\n');
  });
});

describe('formatters', () => {
  it('formats prices per million tokens', () => {
    expect(formatUsd(3)).toBe('3.00');
    expect(formatUsd(0.3)).toBe('0.30');
    expect(formatUsd(3.75)).toBe('3.75');
    expect(formatUsd(0.075)).toBe('0.075');
    expect(formatUsd(0.0000015)).toBe('0.000002');
    expect(formatUsd(null)).toBe('-');
  });

  it('formats times as UTC minutes', () => {
    expect(formatTime('2026-01-31T18:04:05.123Z')).toBe('2026-01-31 18:04');
    expect(formatTime('2026-01-31T20:04:05+02:00')).toBe('2026-01-31 18:04');
    expect(formatTime(Date.UTC(2026, 0, 31, 18, 4, 5))).toBe('2026-01-31 18:04');
    expect(formatTime(null)).toBe('-');
    expect(formatTime('not a date')).toBe('not a date');
  });
});

describe('redactSecrets', () => {
  it('hides secret-looking fields at any depth but keeps the new key and token counts', () => {
    const value = {
      key: 'sk-ccag-shown-once',
      config: { region: 'us-east-1', secret_access_key: 'AWS-SECRET', session_token: 'TOK' },
      api_key: 'sk-ant-secret',
      list: [{ password: 'pw' }],
      input_tokens: 12,
      has_credentials: true,
    };
    expect(redactSecrets(value)).toEqual({
      key: 'sk-ccag-shown-once',
      config: { region: 'us-east-1', secret_access_key: '[redacted]', session_token: '[redacted]' },
      api_key: '[redacted]',
      list: [{ password: '[redacted]' }],
      input_tokens: 12,
      has_credentials: true,
    });
    expect(renderJson(value)).not.toMatch(/AWS-SECRET|sk-ant-secret|"pw"/);
  });
});

describe('Output', () => {
  const rows: Row[] = [{ name: 'alpha', count: 1, on: true }];

  it('prints the records themselves as JSON with --json, whatever the columns', () => {
    const { streams, io } = capture();
    new Output(io, true).list(rows, columns, 'nothing here');
    expect(JSON.parse(streams.stdout)).toEqual(rows);
    new Output(io, true).list([], columns, 'nothing here');
    expect(streams.stdout.endsWith('[]\n')).toBe(true);
  });

  it('prints a table, or the empty-state hint, for people', () => {
    const { streams, io } = capture();
    const out = new Output(io, false);
    out.list([], columns, 'No rows yet. Add one with: x');
    expect(streams.stdout).toBe('No rows yet. Add one with: x\n');
    out.list(rows, columns, 'unused');
    expect(streams.stdout).toContain('NAME   COUNT  ON\nalpha      1  yes\n');
  });

  it('keeps human-only text off stdout in JSON mode and warnings on stderr in both', () => {
    const { streams, io } = capture();
    const out = new Output(io, true);
    out.text('only for people');
    out.warn('careful');
    out.done('Done.', { ok: true });
    expect(streams.stdout).toBe('{\n  "ok": true\n}\n');
    expect(streams.stderr).toBe('warning: careful\n');
  });

  it('prints a record with its headline for people', () => {
    const { streams, io } = capture();
    new Output(io, false).record(rows[0]!, columns, 'Created alpha.');
    expect(streams.stdout).toBe('Created alpha.\n\nName:   alpha\nCount:  1\nOn:     yes\n');
  });
});
