/**
 * Moves journaled rows into the database, one claimed file at a time. A file is deleted only when
 * every row of it is in; if the database stops answering part way the file stays and is replayed
 * whole next time, which is harmless because inserts ignore request ids already recorded.
 */
import type { ReplaySource } from './ledger-journal.js';
import type { LedgerSink } from './ledger-sink.js';

export interface ReplayResult {
  /** Rows taken from the journal and settled (written, already present or quarantined). */
  replayed: number;
  /** Rows newly inserted. */
  inserted: number;
  /** False when rows remain in the journal. */
  complete: boolean;
  error?: unknown;
}

export async function replayJournalFiles(journal: ReplaySource, sink: LedgerSink, batchSize: number): Promise<ReplayResult> {
  let replayed = 0;
  let inserted = 0;
  try {
    for (const file of await journal.claim()) {
      for await (const rows of journal.read(file, batchSize)) {
        const outcome = await sink.write(rows);
        inserted += outcome.inserted;
        if (outcome.left.length > 0) return { replayed, inserted, complete: false, error: outcome.error };
        replayed += rows.length;
      }
      await journal.discard(file);
    }
    return { replayed, inserted, complete: true };
  } catch (error) {
    return { replayed, inserted, complete: false, error };
  }
}
