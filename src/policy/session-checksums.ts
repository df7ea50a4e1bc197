/**
 * Settings drift, recorded cheaply: which managed-settings checksum each Claude Code session
 * reports (`x-claude-code-managed-settings-checksum`, sent with CLAUDE_CODE_GATEWAY_HINT_HEADERS=1).
 * A request only touches an in-memory map; a timer writes what changed in batches, and a session
 * that keeps the same checksum is written again at most once a minute (its last-seen time).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface SessionChecksumRow {
  readonly session_id: string;
  readonly user_id: string;
  readonly checksum: string | null;
  readonly first_seen_at: number;
  readonly last_seen_at: number;
}

export function createSessionChecksumsRepo(db: Kysely<Database>) {
  return {
    /** Inserts or updates each session; the first-seen time of a known session is kept. */
    async upsert(rows: readonly SessionChecksumRow[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('policy_session_checksums')
        .values([...rows])
        .onConflict((conflict) =>
          conflict.column('session_id').doUpdateSet((eb) => ({
            user_id: eb.ref('excluded.user_id'),
            checksum: eb.ref('excluded.checksum'),
            last_seen_at: eb.ref('excluded.last_seen_at'),
          })),
        )
        .execute();
    },

    /** Sessions seen since a time, newest first. */
    seenSince: (since: number, limit: number): Promise<SessionChecksumRow[]> =>
      db
        .selectFrom('policy_session_checksums')
        .selectAll()
        .where('last_seen_at', '>=', since)
        .orderBy('last_seen_at', 'desc')
        .limit(limit)
        .execute()
        .then((rows) => rows.map((row) => ({ ...row, first_seen_at: Number(row.first_seen_at), last_seen_at: Number(row.last_seen_at) }))),
  };
}

export type SessionChecksumsRepo = ReturnType<typeof createSessionChecksumsRepo>;

/** How stale a stored last-seen time may get while a session keeps reporting the same checksum. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
const BATCH = 200;

interface Entry {
  row: SessionChecksumRow;
  writtenAt: number;
  dirty: boolean;
}

export class SessionChecksumRecorder {
  private readonly sessions = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Observations dropped because the map was full of unwritten sessions (the database is down). */
  dropped = 0;

  constructor(
    private readonly repo: Pick<SessionChecksumsRepo, 'upsert'>,
    private readonly maxSessions = 50_000,
  ) {}

  observe(sessionId: string, userId: string, checksum: string | null, now: number): void {
    const entry = this.sessions.get(sessionId);
    if (entry) {
      const changed = entry.row.checksum !== checksum || entry.row.user_id !== userId;
      // The common case, a session's next request with the same settings: nothing to allocate.
      // last_seen_at is only kept to LAST_SEEN_RESOLUTION_MS, so it can wait for the next write.
      if (!changed && now - entry.writtenAt < LAST_SEEN_RESOLUTION_MS) return;
      entry.row = { ...entry.row, user_id: userId, checksum, last_seen_at: now };
      entry.dirty = true;
      return;
    }
    if (this.sessions.size >= this.maxSessions && !this.evictWritten()) {
      this.dropped++;
      return;
    }
    this.sessions.set(sessionId, { row: { session_id: sessionId, user_id: userId, checksum, first_seen_at: now, last_seen_at: now }, writtenAt: 0, dirty: true });
  }

  /** Forgets the oldest tenth of the written sessions (they are in the table); false when none is written. */
  private evictWritten(): boolean {
    let budget = Math.max(1, Math.floor(this.maxSessions / 10));
    for (const [id, entry] of this.sessions) {
      if (budget === 0) break;
      if (entry.dirty) continue;
      this.sessions.delete(id);
      budget--;
    }
    return this.sessions.size < this.maxSessions;
  }

  /** Writes every changed session; one flush at a time, a failed batch stays dirty for the next. */
  flush(): Promise<void> {
    // The previous flush's failure was reported to its caller; it must not stop this one.
    this.flushing = this.flushing.catch(() => {}).then(async () => {
      const dirty = [...this.sessions.values()].filter((entry) => entry.dirty);
      for (let start = 0; start < dirty.length; start += BATCH) {
        const batch = dirty.slice(start, start + BATCH);
        const rows = batch.map((entry) => entry.row);
        await this.repo.upsert(rows);
        for (const [index, entry] of batch.entries()) {
          // A newer observation during the write keeps the entry dirty.
          if (entry.row === rows[index]) entry.dirty = false;
          entry.writtenAt = rows[index]!.last_seen_at;
        }
      }
    });
    return this.flushing;
  }

  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.flush().catch(onError), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left (shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
