import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { RUNTIME_SETTING_KEYS, runtimeSettingsChangeSchema, type RuntimeSettingsState } from '../config/runtime-settings.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';
import { isoOrNull } from './wire-format.js';

/** Times as ISO strings, like every other admin API record. */
function presentSettings(state: RuntimeSettingsState) {
  return Object.fromEntries(RUNTIME_SETTING_KEYS.map((key) => [key, { ...state[key], updated_at: isoOrNull(state[key].updated_at) }])) as {
    [K in keyof RuntimeSettingsState]: Omit<RuntimeSettingsState[K], 'updated_at'> & { updated_at: string | null };
  };
}

/** The runtime settings as the admin API shows them, and the body of PATCH /admin/settings (shared with the CLI). */
export type SettingsView = ReturnType<typeof presentSettings>;
export type UpdateSettingsBody = z.input<typeof runtimeSettingsChangeSchema>;

export function registerSettingsRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/settings', async () => presentSettings(deps.runtimeSettings.state()));

  // A setting left out keeps its value; `null` puts it back to its environment default.
  app.patch('/settings', async (request) => {
    const change = validate(runtimeSettingsChangeSchema, request.body);
    return presentSettings(await deps.runtimeSettings.set(change));
  });
}
