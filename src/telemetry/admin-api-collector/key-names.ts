/**
 * The names a usage row's API key id stands for: the key's name and its owner's email and name,
 * from the Admin API's key and user lists (the collector reads them). The lists change rarely (a
 * key created, renamed or handed over), so they are due again only every `refreshMs`, or sooner
 * when a report names a key the cache does not know (a key created since), at most once per
 * `unknownKeyRetryMs`. A failed read keeps the names already known: a label that flips to empty and back would split
 * every series in two on a dashboard.
 *
 * The owner is the user the key acts as (`principal`) when the list says so, else the user who
 * created it (`created_by`). A key owned by a service account, or usage without a key (the
 * Console), has no owner: its owner labels are empty.
 */
import type { ApiKey, OrganizationUser } from './client.js';

export interface KeyNameLabels {
  readonly api_key_name: string;
  readonly owner_email: string;
  readonly owner_name: string;
}

const UNNAMED: KeyNameLabels = { api_key_name: '', owner_email: '', owner_name: '' };

export interface KeyNames {
  /** The names of a key id as last read; empty labels for an unknown (or empty) id. */
  labelsFor(apiKeyId: string): KeyNameLabels;
  /** Whether a read is due now: the cache is stale, or one of these ids is unknown and the last try is not recent. */
  isDue(apiKeyIds: Iterable<string>): boolean;
  /** Notes that a read of the lists starts now, so an unknown key does not ask again on every poll. */
  readStarted(): void;
  /** Replaces every name with those of a successful read of both lists. */
  replace(keys: readonly ApiKey[], users: readonly OrganizationUser[]): void;
}

export interface KeyNamesOptions {
  readonly clock: () => number;
  readonly refreshMs: number;
  readonly unknownKeyRetryMs: number;
}

function ownerOf(key: ApiKey): string | undefined {
  const owner = key.principal ?? key.created_by;
  return owner?.type === 'user' ? owner.id : undefined;
}

function namesOf(keys: readonly ApiKey[], users: readonly OrganizationUser[]): Map<string, KeyNameLabels> {
  const usersById = new Map(users.map((user) => [user.id, user]));
  return new Map(
    keys.map((key) => {
      const owner = usersById.get(ownerOf(key) ?? '');
      return [key.id, { api_key_name: key.name, owner_email: owner?.email ?? '', owner_name: owner?.name ?? '' }];
    }),
  );
}

/** The labels with the key's name and owner after `api_key_id` (the exporter's order, which reads well in a scrape). */
export function withKeyNames<L extends { api_key_id: string }>(labels: L, names: KeyNames): Record<string, string> {
  const named: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels) as [string, string][]) {
    named[name] = value;
    if (name === 'api_key_id') Object.assign(named, names.labelsFor(value));
  }
  return named;
}

export function createKeyNames(options: KeyNamesOptions): KeyNames {
  let names = new Map<string, KeyNameLabels>();
  let lastSuccess: number | undefined;
  let lastAttempt: number | undefined;

  return {
    labelsFor: (apiKeyId) => names.get(apiKeyId) ?? UNNAMED,
    isDue(apiKeyIds) {
      const now = options.clock();
      if (lastSuccess === undefined || now - lastSuccess >= options.refreshMs) {
        // A failed read is retried on the next poll, not a whole refresh interval later.
        return true;
      }
      if (lastAttempt !== undefined && now - lastAttempt < options.unknownKeyRetryMs) return false;
      for (const id of apiKeyIds) if (id !== '' && !names.has(id)) return true;
      return false;
    },
    readStarted() {
      lastAttempt = options.clock();
    },
    replace(keys, users) {
      names = namesOf(keys, users);
      lastSuccess = lastAttempt ?? options.clock();
    },
  };
}
