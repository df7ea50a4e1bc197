/**
 * Configuration beyond the environment: the master key's secret box (credentials sealed at rest)
 * and the runtime settings admins change in the portal, polled so every replica follows.
 */
import type { Logger } from 'pino';
import type { Lifecycle } from '../lifecycle.js';
import type { Store } from '../store/database.js';
import { createRuntimeSettings, type RuntimeSettings } from './runtime-settings.js';
import { createSecretBox, resolveMasterKey, type SecretBox } from './secret-box.js';
import type { Settings } from './settings.js';
import { createOutboundGuard, type OutboundGuard } from './outbound-guard.js';

/** An admin's change of a runtime setting (session TTL) reaches every replica within this. */
const RUNTIME_SETTINGS_POLL_MS = 5_000;

export interface ConfigArea {
  readonly masterKey: Buffer;
  readonly box: SecretBox;
  readonly runtimeSettings: RuntimeSettings;
  /** The base of URLs handed to browsers and IdPs; without it each request's own origin is used. */
  readonly publicUrl: string | undefined;
  /** The SSRF guard every admin-supplied URL goes through, at save and at connect time. */
  readonly outbound: OutboundGuard;
}

export async function createConfigArea(deps: { settings: Settings; store: Store; lifecycle: Lifecycle; log: Logger }): Promise<ConfigArea> {
  const masterKey = resolveMasterKey(deps.settings);
  // Loaded when created; then polled.
  const runtimeSettings = deps.lifecycle.owns('runtime settings', await createRuntimeSettings(deps.store.db, deps.settings), (settings) => settings.stop());
  runtimeSettings.startPolling(RUNTIME_SETTINGS_POLL_MS, (error) => deps.log.warn({ err: error }, 'runtime settings reload failed'));
  deps.lifecycle.changes.follow('runtime settings', () => runtimeSettings.reload());
  return { masterKey, box: createSecretBox(masterKey), runtimeSettings, publicUrl: deps.settings.publicUrl?.replace(/\/+$/, ''), outbound: createOutboundGuard(deps.settings.outboundAllowPrivate) };
}
