/**
 * The write-ahead journal: each ledger row is handed to the operating system (one write(2) of a
 * prepared line, no fsync) the moment its request settles, before the client's response ends. A
 * killed process (kill -9, the OOM killer, an eviction) loses its memory, not the page cache, so
 * the rows the writer still held are in the file for the next start to replay. An fsync would
 * also survive a power cut, at a cost per request; a machine crash is the spill journal's and the
 * database's business, not this file's.
 *
 * Bounded: the writer truncates the file whenever it holds no row in memory (every row appended
 * is then in the database, the fsync'd spill journal or the quarantine file). A kill between a
 * flush and the truncation only leaves rows that replay finds already recorded: inserts ignore
 * request ids the ledger has.
 *
 * One file per process (see FILE), so replicas sharing a directory never
 * write to one file. At start the other files are replayed; a file is deleted only when its owner
 * is known dead (same host and its pid gone, or the pid is ours: a container restarted as pid 1),
 * because deleting a live replica's file would take its protection away. Replaying a live
 * replica's file is harmless for the same reason a repeated flush is.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { SpendLedgerTable } from '../store/schema.js';
import type { ReplaySource } from './ledger-journal.js';
import { readRowBatches, serializeLine } from './ledger-lines.js';

/** `wal-<host>-<pid>-<start ms>-<random>.jsonl`: the random part keeps two starts in one millisecond apart. */
const FILE = /^wal-(.+)-(\d+)-\d+-[0-9a-f]+\.jsonl$/;

export interface LedgerWal extends ReplaySource {
  /** Appends the row: synchronous, never throws (a failure goes to `onError`). */
  append(row: SpendLedgerTable): void;
  /** Every row appended so far is durable elsewhere: empty the file. */
  truncate(): void;
  /** Stops appending; the file is removed when `settled` (nothing left only in it), else kept for the next start. */
  close(settled: boolean): void;
}

export interface LedgerWalOptions {
  /** An append or truncation failed; called once per run of failures. */
  onError(error: unknown): void;
}

export function createLedgerWal(dir: string, { onError }: LedgerWalOptions): LedgerWal {
  mkdirSync(dir, { recursive: true });
  const host = hostname();
  const own = `wal-${host}-${process.pid}-${Date.now()}-${randomBytes(3).toString('hex')}.jsonl`;
  const ownPath = join(dir, own);
  let fd: number | undefined = openSync(ownPath, 'a');
  let dirty = false;
  let failing = false;
  // After a failed write the file may end in a partial line; the next row starts on a fresh one.
  let tornTail = false;
  // Files of other processes this process has replayed: claimed once each, not at every replay.
  const done = new Set<string>();

  function failed(error: unknown): void {
    if (!failing) onError(error);
    failing = true;
  }

  function writeAll(bytes: Buffer): void {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd!, bytes, written);
  }

  function ownerIsDead(name: string): boolean {
    const [, owner, pid] = FILE.exec(name)!;
    if (owner !== host) return false;
    const ownerPid = Number(pid);
    if (ownerPid === process.pid) return true;
    try {
      process.kill(ownerPid, 0);
      return false;
    } catch (error) {
      // EPERM: the process exists under another user.
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  return {
    append(row) {
      if (fd === undefined) return;
      try {
        writeAll(Buffer.from(tornTail ? `\n${serializeLine(row)}` : serializeLine(row)));
        tornTail = false;
        dirty = true;
        failing = false;
      } catch (error) {
        tornTail = true;
        failed(error);
      }
    },

    truncate() {
      if (fd === undefined || !dirty) return;
      try {
        ftruncateSync(fd, 0);
        dirty = false;
        tornTail = false;
      } catch (error) {
        failed(error);
      }
    },

    async claim() {
      return readdirSync(dir)
        .filter((name) => name !== own && FILE.test(name) && !done.has(name))
        .sort()
        .map((name) => join(dir, name));
    },

    read: readRowBatches,

    async discard(file) {
      const name = basename(file);
      done.add(name);
      if (!ownerIsDead(name)) return;
      try {
        unlinkSync(file);
      } catch (error) {
        // Another replica starting beside this one replayed and removed it too.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },

    close(settled) {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
      if (settled) unlinkSync(ownPath);
    },
  };
}
