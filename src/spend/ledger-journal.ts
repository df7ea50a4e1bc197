/**
 * The local journal that holds ledger rows while the database cannot take them, and the
 * quarantine file for rows it rejected for good. JSON lines, fsync'd before an append resolves.
 *
 * Crash safety: a torn last line never parses, so replay skips it, and the next append starts on
 * a fresh line so it cannot glue a good row to the torn one. Replay reads files renamed aside
 * ("claimed"), so rows spilled during a replay land in a new active file, never in one about to
 * be deleted.
 */
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpendLedgerTable } from '../store/schema.js';
import { readRowBatches, serializeLine as serialize } from './ledger-lines.js';
import { serial } from './serial.js';

const ACTIVE = 'spend-journal.jsonl';
const CLAIMED = /^spend-journal-\d+-\d+\.replay\.jsonl$/;
const QUARANTINE = 'quarantine.jsonl';
const LF = 0x0a;

export interface QuarantinedRow {
  row: SpendLedgerTable;
  error: unknown;
}

/** Where replay takes rows from: files claimed for replay, read in batches, discarded once in the database. */
export interface ReplaySource {
  /** The files waiting for replay, oldest first. */
  claim(): Promise<string[]>;
  /** A claimed file's rows in batches; lines that do not parse (a torn tail) are skipped. */
  read(file: string, batchSize: number): AsyncGenerator<SpendLedgerTable[]>;
  /** Every row of the file is in the database. */
  discard(file: string): Promise<void>;
}

export interface LedgerJournal extends ReplaySource {
  append(rows: readonly SpendLedgerTable[]): Promise<void>;
  /** Sets the active journal aside and lists every file waiting for replay, oldest first. */
  claim(): Promise<string[]>;
  quarantine(rejected: readonly QuarantinedRow[]): Promise<void>;
}

export function createLedgerJournal(dir: string): LedgerJournal {
  let claims = 0;
  // One file operation at a time: concurrent spills must not interleave lines or race a claim.
  const inOrder = serial();

  const appendDurably = (name: string, text: string) =>
    inOrder(async () => {
      await mkdir(dir, { recursive: true });
      const handle = await open(join(dir, name), 'a+');
      let created = false;
      try {
        const { size } = await handle.stat();
        created = size === 0;
        const last = Buffer.alloc(1);
        if (!created) await handle.read(last, 0, 1, size - 1);
        await handle.write(created || last[0] === LF ? text : `\n${text}`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (created) await syncDirectory(dir);
    });

  return {
    append(rows) {
      return appendDurably(ACTIVE, rows.map(serialize).join(''));
    },

    claim() {
      return inOrder(async () => {
        try {
          claims += 1;
          const name = `spend-journal-${Date.now()}-${String(claims).padStart(6, '0')}.replay.jsonl`;
          await rename(join(dir, ACTIVE), join(dir, name));
          await syncDirectory(dir);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return [] as string[];
          throw error;
        });
        return names.filter((name) => CLAIMED.test(name)).sort().map((name) => join(dir, name));
      });
    },

    read: readRowBatches,

    discard(file) {
      return inOrder(() => unlink(file));
    },

    quarantine(rejected) {
      const at = Date.now();
      const lines = rejected.map(({ row, error }) => {
        const reason = error instanceof Error ? error.message : String(error);
        const code = (error as { code?: unknown } | null)?.code;
        return serialize({ at, error: reason, code: typeof code === 'string' ? code : null, row });
      });
      return appendDurably(QUARANTINE, lines.join(''));
    },
  };
}

/** Makes a created or renamed directory entry durable; not every platform can open a directory. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the file contents are already synced.
  }
}
