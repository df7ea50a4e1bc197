/**
 * Which rate limits apply to a subject: its override, else the default from settings. Every
 * replica mirrors the overrides table in memory (admission never reads the database), applies its
 * own writes at once and polls for the others' (src/store/table-mirror.ts).
 */
import type { Settings } from '../../config/settings.js';
import { TableMirror } from '../../store/table-mirror.js';
import type { OverrideRow, OverrideValues, OverridesRepo, SubjectType } from './overrides.repo.js';

export const LIMIT_KINDS = ['rpm', 'tpm', 'concurrency'] as const;

/** Effective limits: a positive number, or null for unlimited. */
export type Limits = Record<(typeof LIMIT_KINDS)[number], number | null>;
export type Defaults = Record<SubjectType, Limits>;

export function defaultsFromSettings(settings: Settings): Defaults {
  return {
    key: { rpm: settings.rateLimitKeyRpm ?? null, tpm: settings.rateLimitKeyTpm ?? null, concurrency: settings.rateLimitKeyConcurrency ?? null },
    user: { rpm: settings.rateLimitUserRpm ?? null, tpm: settings.rateLimitUserTpm ?? null, concurrency: settings.rateLimitUserConcurrency ?? null },
    team: { rpm: settings.rateLimitTeamRpm ?? null, tpm: settings.rateLimitTeamTpm ?? null, concurrency: settings.rateLimitTeamConcurrency ?? null },
  };
}

const isCleared = (row: OverrideValues) => LIMIT_KINDS.every((kind) => row[kind] === null);

export class RateLimitOverrides extends TableMirror<OverrideRow> {
  private readonly rows = new Map<string, OverrideRow>();

  constructor(
    private readonly repo: OverridesRepo,
    readonly defaults: Defaults,
  ) {
    super((since) => repo.changedSince(since), (row) => row.updated_at);
  }

  /** The limits that apply to one subject (null: unlimited). */
  limitsFor(subjectType: SubjectType, subjectId: string): Limits {
    const row = this.rows.get(`${subjectType}:${subjectId}`);
    const defaults = this.defaults[subjectType];
    if (!row) return defaults;
    const pick = (kind: keyof Limits) => {
      const value = row[kind];
      if (value === null) return defaults[kind];
      return value === 0 ? null : value;
    };
    return { rpm: pick('rpm'), tpm: pick('tpm'), concurrency: pick('concurrency') };
  }

  /** Every subject with an override, fresh from the database (what another replica wrote too). */
  async list(): Promise<OverrideRow[]> {
    await this.refresh();
    return [...this.rows.values()].sort((a, b) => a.subject_type.localeCompare(b.subject_type) || a.subject_id.localeCompare(b.subject_id));
  }

  /** Changes the values given (null: back to the default; 0: unlimited) and keeps the others. */
  async set(subjectType: SubjectType, subjectId: string, changes: Partial<OverrideValues>): Promise<OverrideRow> {
    // Another replica may have changed the row since the last poll; merge with what is stored.
    await this.refresh();
    const current = this.rows.get(`${subjectType}:${subjectId}`);
    const values: OverrideValues = {
      rpm: changes.rpm !== undefined ? changes.rpm : (current?.rpm ?? null),
      tpm: changes.tpm !== undefined ? changes.tpm : (current?.tpm ?? null),
      concurrency: changes.concurrency !== undefined ? changes.concurrency : (current?.concurrency ?? null),
    };
    const row = await this.repo.upsert(subjectType, subjectId, values, Date.now());
    this.apply(row);
    return row;
  }

  /** Back to the defaults; kept as an all-null row so polling replicas see it. */
  async clear(subjectType: SubjectType, subjectId: string): Promise<void> {
    this.apply(await this.repo.upsert(subjectType, subjectId, { rpm: null, tpm: null, concurrency: null }, Date.now()));
  }

  apply(row: OverrideRow): void {
    const id = `${row.subject_type}:${row.subject_id}`;
    if (isCleared(row)) this.rows.delete(id);
    else this.rows.set(id, row);
  }
}
