/**
 * What the spend write-ahead journal (src/spend/ledger-wal.ts) costs a request: serializing its
 * ledger row and one write(2) of the line, plus the truncation the writer does after each flush
 * (every `BENCH_WAL_FLUSH_EVERY` rows here). Measured as CPU time of this process, which a shared
 * machine disturbs less than wall-clock time; the wall-clock figure is printed beside it.
 *
 *   tsc -p bench/tsconfig.json && node dist-bench/bench/ledger-wal.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeLine } from '../src/spend/ledger-lines.js';
import { createLedgerWal } from '../src/spend/ledger-wal.js';
import type { SpendLedgerTable } from '../src/store/schema.js';
import { spreadLedger } from './analytics-rows.js';
import { numberEnv } from './settings.js';

const ROWS = Math.round(numberEnv('BENCH_WAL_ROWS', 100_000, 1_000));
const FLUSH_EVERY = Math.round(numberEnv('BENCH_WAL_FLUSH_EVERY', 100, 1));
const DAY = 86_400_000;

/** CPU and wall-clock microseconds per row of `run` over every row. */
function measure(rows: readonly SpendLedgerTable[], run: (row: SpendLedgerTable, index: number) => void): { cpu: number; wall: number } {
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  rows.forEach(run);
  const cpu = process.cpuUsage(cpuBefore);
  const wall = Number(process.hrtime.bigint() - wallBefore) / 1_000;
  return { cpu: (cpu.user + cpu.system) / rows.length, wall: wall / rows.length };
}

const rows = spreadLedger(ROWS, Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 1) + 7 * DAY).batches(ROWS).next().value!;
const dir = mkdtempSync(join(tmpdir(), 'ccag-bench-wal-'));
const wal = createLedgerWal(dir, {
  onError: (error) => {
    throw error;
  },
});
try {
  let bytes = 0;
  // Warm-up: both paths compiled by the JIT before anything is measured.
  measure(rows.slice(0, 5_000), (row) => serializeLine(row));
  measure(rows.slice(0, 5_000), (row) => wal.append(row));
  wal.truncate();

  const serialize = measure(rows, (row) => (bytes += serializeLine(row).length));
  const append = measure(rows, (row, index) => {
    wal.append(row);
    if (index % FLUSH_EVERY === FLUSH_EVERY - 1) wal.truncate();
  });
  const f = (us: number) => us.toFixed(2);
  console.log(`spend write-ahead journal: ${ROWS} rows of ${Math.round(bytes / ROWS)} bytes on average, truncated every ${FLUSH_EVERY} rows`);
  console.log(`  serialize only      ${f(serialize.cpu)} µs CPU per row (${f(serialize.wall)} µs wall)`);
  console.log(`  serialize + write   ${f(append.cpu)} µs CPU per row (${f(append.wall)} µs wall)`);
} finally {
  wal.close(true);
  rmSync(dir, { recursive: true, force: true });
}
