/**
 * The destination workflow (spec §8): configure → save as draft → test delivery → activate, and
 * change or deactivate at any time without a restart. The active destination keeps delivering
 * while a draft is edited and tested; activating replaces it in one step. Secrets are sealed at
 * rest and leave this module only opened for a sender, or once, freshly generated, to the admin.
 */
import type { OutboundGuard } from '../config/outbound-guard.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { SecretBox } from '../config/secret-box.js';
import { ApiError } from '../errors.js';
import { attemptDelivery, type AttemptResult } from './delivery-attempt.js';
import type { DeliveriesRepo } from './deliveries.repo.js';
import {
  canActivate,
  defaultName,
  needsSecret,
  presentDestination,
  secretFromInput,
  settingsFromInput,
  type DestinationSettings,
  type DestinationView,
  type DraftInput,
  type OpenDestination,
} from './destination-config.js';
import type { DestinationRow, DestinationsRepo } from './destinations.repo.js';
import { NOTIFICATION_CATEGORIES, testEventBody, TEST_EVENT_TYPE, type NotificationCategory } from './event-body.js';
import type { Sender } from './senders/sender.js';

export interface DestinationsServiceDeps {
  readonly repo: DestinationsRepo;
  readonly history: Pick<DeliveriesRepo, 'record'>;
  readonly box: SecretBox;
  readonly senderFor: (destination: OpenDestination) => Sender;
  readonly clock: () => number;
  /** Refuses a webhook URL or AWS endpoint override that points at a private address. */
  readonly outbound: Pick<OutboundGuard, 'check'>;
}

/** The active destination as the delivery worker uses it. */
export interface ActiveDestination {
  readonly open: OpenDestination;
  readonly categories: readonly NotificationCategory[];
}

export type TestReport = AttemptResult & { readonly status: 'delivered' | 'failed' };

/** A fresh webhook signing secret: 256 random bits, shown once. */
const generateSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const NO_DRAFT = () => new ApiError('not_found', 'There is no draft destination; save one first (PUT /admin/notifications/draft or "ccag notifications set-webhook").');

export function createDestinationsService(deps: DestinationsServiceDeps) {
  const { repo, box } = deps;

  const openOf = (row: DestinationRow): OpenDestination => ({
    type: row.type,
    settings: JSON.parse(row.config) as DestinationSettings,
    secret: row.secret_sealed === null ? null : box.open(row.secret_sealed),
  });

  /**
   * The sealed secret to store: the one given, else the one kept from the configuration being
   * edited (same type, still needing one), else a generated webhook secret (returned in clear).
   */
  function secretFor(input: DraftInput, settings: DestinationSettings, previous: DestinationRow | undefined): { sealed: string | null; generated?: string } {
    if (!needsSecret(input.type, settings)) return { sealed: null };
    const given = secretFromInput(input);
    if (given !== undefined) return { sealed: box.seal(given) };
    const before = previous ? (JSON.parse(previous.config) as DestinationSettings) : undefined;
    if (previous?.type === input.type && previous.secret_sealed !== null && before && needsSecret(previous.type, before)) return { sealed: previous.secret_sealed };
    if (input.type !== 'webhook') throw new ApiError('invalid_request', 'secret_access_key: required with auth "static"');
    const generated = generateSecret();
    return { sealed: box.seal(generated), generated };
  }

  return {
    async overview(): Promise<{ active: DestinationView | null; draft: DestinationView | null }> {
      const [active, draft] = await Promise.all([repo.get('active'), repo.get('draft')]);
      return { active: active ? presentDestination(active) : null, draft: draft ? presentDestination(draft) : null };
    },

    /** Saves the draft; an omitted secret keeps the stored one (the draft's, else the active one's) when the type is unchanged. */
    async putDraft(input: DraftInput, actor: string | null): Promise<{ draft: DestinationView; signing_secret?: string }> {
      const settings = settingsFromInput(input);
      if (settings.url) await deps.outbound.check('url', settings.url);
      if (settings.endpoint_url) await deps.outbound.check('endpoint_url', settings.endpoint_url);
      const previous = (await repo.get('draft')) ?? (await repo.get('active'));
      const secret = secretFor(input, settings, previous);
      const row: DestinationRow = {
        slot: 'draft',
        type: input.type,
        name: input.name ?? defaultName(input.type, settings),
        config: JSON.stringify(settings),
        secret_sealed: secret.sealed,
        categories: JSON.stringify(input.categories ?? (previous ? (JSON.parse(previous.categories) as NotificationCategory[]) : NOTIFICATION_CATEGORIES)),
        tested_at: null,
        test_ok: null,
        test_error: null,
        updated_at: deps.clock(),
        updated_by: actor,
      };
      await repo.put(row);
      return { draft: presentDestination(row), ...(secret.generated ? { signing_secret: secret.generated } : {}) };
    },

    /** Delivers a `notification_test` event to the draft now; the outcome is kept on the draft and in the history. */
    async testDraft(): Promise<TestReport> {
      const draft = await repo.get('draft');
      if (!draft) throw NO_DRAFT();
      const sender = deps.senderFor(openOf(draft));
      try {
        const id = randomUUID();
        const body = JSON.stringify(testEventBody(id, deps.clock()));
        const result = await attemptDelivery(
          { id, eventType: TEST_EVENT_TYPE, severity: 'info', category: 'test', body },
          { sender, destinationType: draft.type, history: deps.history, clock: deps.clock, eventId: null, attempt: 1 },
        );
        await repo.recordTest('draft', draft.updated_at, { tested_at: deps.clock(), test_ok: result.ok ? 1 : 0, test_error: result.error });
        return { ...result, status: result.ok ? 'delivered' : 'failed' };
      } finally {
        sender.close();
      }
    },

    async activate(): Promise<{ active: DestinationView }> {
      const moved = await repo.move('draft', 'active', canActivate);
      if (moved === 'missing') throw NO_DRAFT();
      if (moved === 'refused') throw new ApiError('conflict', 'The draft has no successful test since its last change; test it (POST /admin/notifications/draft/test) and activate again.');
      return { active: presentDestination(moved) };
    },

    /** Stops deliveries: the active configuration becomes the draft (replacing one), ready to re-activate. */
    async deactivate(): Promise<{ active: null; draft: DestinationView }> {
      const moved = await repo.move('active', 'draft');
      if (moved === 'missing' || moved === 'refused') throw new ApiError('not_found', 'No destination is active.');
      return { active: null, draft: presentDestination(moved) };
    },

    async discard(): Promise<void> {
      await repo.remove('draft');
    },

    /** What the delivery worker sends to; read at each pass, so a change needs no restart. */
    async active(): Promise<ActiveDestination | undefined> {
      const row = await repo.get('active');
      return row ? { open: openOf(row), categories: JSON.parse(row.categories) as NotificationCategory[] } : undefined;
    },
  };
}

export type DestinationsService = ReturnType<typeof createDestinationsService>;
