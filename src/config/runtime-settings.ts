/**
 * Runtime settings: the few settings an admin changes without a restart. Each is stored as a
 * JSON value in the `settings` table (this module is the only one to query it) and defaults to
 * its start-up setting (environment or file) while no row exists. Reads are synchronous from
 * memory, because they sit on hot paths such as login; `set()` updates memory at once and
 * `startPolling()` picks up another replica's change.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.js';
import type { Settings } from './settings.js';

/** The registry: each setting's validation and its default from the start-up settings. */
const DEFINITIONS = {
  /** Lifetime of new admin sessions; a session keeps the expiry written at its login. */
  session_ttl_hours: { schema: z.number().int().min(1).max(8760), fallback: (settings: Settings) => settings.sessionTtlHours },
} as const;

type Definitions = typeof DEFINITIONS;
export type RuntimeSettingKey = keyof Definitions;
export type RuntimeSettingValues = { [K in RuntimeSettingKey]: z.infer<Definitions[K]['schema']> };
export const RUNTIME_SETTING_KEYS = Object.keys(DEFINITIONS) as RuntimeSettingKey[];

export interface RuntimeSettingState<T> {
  value: T;
  default: T;
  source: 'database' | 'environment';
  /** Epoch ms of the admin's change; null while the default applies. */
  updated_at: number | null;
}
export type RuntimeSettingsState = { [K in RuntimeSettingKey]: RuntimeSettingState<RuntimeSettingValues[K]> };

/** A change: a value for each setting to change, `null` to go back to the default. */
export type RuntimeSettingsChange = { [K in RuntimeSettingKey]?: RuntimeSettingValues[K] | null };

/** The validation of a change, built from the registry so a new setting needs no second schema. */
export const runtimeSettingsChangeSchema = z
  .object(
    Object.fromEntries(RUNTIME_SETTING_KEYS.map((key) => [key, DEFINITIONS[key].schema.nullable().optional()])) as {
      [K in RuntimeSettingKey]: z.ZodOptional<z.ZodNullable<Definitions[K]['schema']>>;
    },
  )
  .strict()
  .refine((change) => Object.keys(change).length > 0, `name at least one setting: ${RUNTIME_SETTING_KEYS.join(', ')}`);

export interface RuntimeSettings {
  get<K extends RuntimeSettingKey>(key: K): RuntimeSettingValues[K];
  state(): RuntimeSettingsState;
  /** Writes every setting in `change` (validated by the caller) and applies it here at once. */
  set(change: RuntimeSettingsChange): Promise<RuntimeSettingsState>;
  /** Re-reads the table, e.g. after another replica changed it. */
  reload(): Promise<void>;
  startPolling(intervalMs: number, onError: (error: unknown) => void): void;
  stop(): void;
}

interface Stored {
  value: unknown;
  updated_at: number;
}

/** Loads the table once before returning, so the first `get()` already sees the stored values. */
export async function createRuntimeSettings(db: Kysely<Database>, settings: Settings): Promise<RuntimeSettings> {
  let stored = new Map<RuntimeSettingKey, Stored>();
  // Bumped by every `set()`: a reload that started before a write must not undo it with stale rows.
  let writes = 0;
  let timer: NodeJS.Timeout | undefined;

  async function reload(): Promise<void> {
    const startedAt = writes;
    const rows = await db.selectFrom('settings').selectAll().where('key', 'in', RUNTIME_SETTING_KEYS).execute();
    const next = new Map<RuntimeSettingKey, Stored>();
    for (const row of rows) {
      const key = row.key as RuntimeSettingKey;
      // A row that no longer validates (hand-edited, or a range narrowed later) falls back to the default.
      const parsed = DEFINITIONS[key].schema.safeParse(safeJson(row.value));
      if (parsed.success) next.set(key, { value: parsed.data, updated_at: row.updated_at });
    }
    if (writes === startedAt) stored = next;
  }

  function stateOf<K extends RuntimeSettingKey>(key: K): RuntimeSettingState<RuntimeSettingValues[K]> {
    const fallback = DEFINITIONS[key].fallback(settings) as RuntimeSettingValues[K];
    const row = stored.get(key);
    return row
      ? { value: row.value as RuntimeSettingValues[K], default: fallback, source: 'database', updated_at: row.updated_at }
      : { value: fallback, default: fallback, source: 'environment', updated_at: null };
  }

  const state = () => Object.fromEntries(RUNTIME_SETTING_KEYS.map((key) => [key, stateOf(key)])) as RuntimeSettingsState;

  await reload();
  return {
    get: (key) => stateOf(key).value,
    state,
    async set(change) {
      const now = Date.now();
      await db.transaction().execute(async (trx) => {
        for (const [key, value] of Object.entries(change) as [RuntimeSettingKey, unknown][]) {
          if (value === undefined) continue;
          if (value === null) {
            await trx.deleteFrom('settings').where('key', '=', key).execute();
            continue;
          }
          const row = { value: JSON.stringify(value), updated_at: now };
          // ON CONFLICT ... DO UPDATE is the same SQL on SQLite and PostgreSQL.
          await trx.insertInto('settings').values({ key, ...row }).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
        }
      });
      writes += 1;
      const next = new Map(stored);
      for (const [key, value] of Object.entries(change) as [RuntimeSettingKey, unknown][]) {
        if (value === null) next.delete(key);
        else if (value !== undefined) next.set(key, { value, updated_at: now });
      }
      stored = next;
      return state();
    },
    reload,
    startPolling(intervalMs, onError) {
      timer = setInterval(() => reload().catch(onError), intervalMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
