/**
 * The JSON-lines format both local ledger journals use (the fsync'd spill journal and the
 * write-ahead journal): one row per line, read back in batches. A line that does not parse — the
 * torn tail a crash can leave — is skipped, never fatal.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SpendLedgerTable } from '../store/schema.js';

/** One JSON line; a value JSON cannot hold (a BigInt) is written as its string. */
export function serializeLine(value: unknown): string {
  return `${JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item))}\n`;
}

/** A journal file's rows in batches, oldest first; lines that do not parse are skipped. */
export async function* readRowBatches(file: string, batchSize: number): AsyncGenerator<SpendLedgerTable[]> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let batch: SpendLedgerTable[] = [];
  for await (const line of lines) {
    const row = parseRow(line);
    if (!row) continue;
    batch.push(row);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function parseRow(line: string): SpendLedgerTable | undefined {
  if (line.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SpendLedgerTable) : undefined;
  } catch {
    return undefined;
  }
}
