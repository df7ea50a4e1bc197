/**
 * The one renderer every command prints through: aligned tables and `label: value` blocks for
 * people, the API's own records as JSON for scripts (`--json`). Results go to stdout; prompts,
 * warnings and errors go to stderr, so `ccag ... --json | jq` always sees clean JSON.
 */
import type { CliIo } from './io.js';

export type Cell = string | number | boolean | null | undefined;

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => Cell;
  readonly align?: 'left' | 'right';
}

const EMPTY_CELL = '-';

// Defence in depth: the API never returns these, but if it ever did, the CLI must not print
// them. `key` (the new virtual key, shown once on creation) is deliberately not matched.
const SECRET_FIELD = /(secret|password|passphrase|token|api_?key|private)/i;
// Plural `*_tokens` fields are token counts (input_tokens); singular `*_token` ones are secrets.
const TOKEN_COUNT_FIELD = /_tokens$/i;

export function cellText(value: Cell): string {
  if (value === null || value === undefined || value === '') return EMPTY_CELL;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Renders rows as a space-aligned table with an upper-case header line. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row)).replace(/\s+/g, ' ')));
  const headers = columns.map((column) => column.header.toUpperCase());
  const widths = columns.map((_, index) => Math.max(headers[index]!.length, ...cells.map((line) => line[index]!.length)));
  const format = (line: readonly string[]) =>
    line
      .map((cell, index) => (columns[index]!.align === 'right' ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  return [format(headers), ...cells.map(format)].join('\n') + '\n';
}

/** Renders one record as aligned `Label: value` lines. */
export function renderFields<T>(record: T, fields: readonly Column<T>[]): string {
  const width = Math.max(...fields.map((field) => field.header.length + 1));
  return fields.map((field) => `${`${field.header}:`.padEnd(width)}  ${cellText(field.value(record))}`).join('\n') + '\n';
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(redactSecrets(value), null, 2)}\n`;
}

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    const secret = SECRET_FIELD.test(name) && !TOKEN_COUNT_FIELD.test(name) && typeof field === 'string' && field.length > 0;
    out[name] = secret ? '[redacted]' : redactSecrets(field);
  }
  return out;
}

/**
 * `2026-01-31T18:04:05.123Z` → `2026-01-31 18:04` (UTC), so tables stay narrow. Epoch
 * milliseconds are accepted too: some gateway versions send them instead of ISO strings.
 */
export function formatTime(time: string | number | null | undefined): string {
  if (time === null || time === undefined || time === '') return EMPTY_CELL;
  const at = new Date(time);
  if (Number.isNaN(at.getTime())) return String(time);
  return at.toISOString().slice(0, 16).replace('T', ' ');
}

/** USD per million tokens: cents when exact (3.00, 0.30), otherwise up to six decimals (0.075). */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return EMPTY_CELL;
  const cents = value.toFixed(2);
  if (Number(cents) === value) return cents;
  return value.toFixed(6).replace(/0+$/, '');
}

export class Output {
  constructor(
    private readonly io: Pick<CliIo, 'stdout' | 'stderr'>,
    readonly json: boolean,
  ) {}

  /** A list: the records as a JSON array, or a table (or `empty`, a hint saying what to do first). */
  list<T>(rows: readonly T[], columns: readonly Column<T>[], empty: string): void {
    if (this.json) this.io.stdout.write(renderJson(rows));
    else this.io.stdout.write(rows.length === 0 ? `${empty}\n` : renderTable(rows, columns));
  }

  /** One record: the API's JSON, or a headline followed by its fields. */
  record<T>(value: T, fields: readonly Column<T>[], headline?: string): void {
    if (this.json) {
      this.io.stdout.write(renderJson(value));
      return;
    }
    this.io.stdout.write(`${headline ? `${headline}\n\n` : ''}${renderFields(value, fields)}`);
  }

  /** An outcome without a record of its own (logout, delete): a sentence, or `value` as JSON. */
  done(message: string, value: unknown): void {
    this.io.stdout.write(this.json ? renderJson(value) : `${message}\n`);
  }

  /** Human-only text on stdout, e.g. the new key in its own block; silent with --json. */
  text(message: string): void {
    if (!this.json) this.io.stdout.write(`${message}\n`);
  }

  /** Always on stderr, in both modes: it must reach a person even when stdout is piped. */
  warn(message: string): void {
    this.io.stderr.write(`warning: ${message}\n`);
  }
}
