/**
 * Who sent a telemetry batch, as OTLP resource attributes. Everything under `ccag.` is the
 * gateway's word: the relay removes any `ccag.*` attribute a client sent before adding its own,
 * so a developer cannot label their telemetry as someone else's.
 */
import type { Principal } from '../../identity/authenticator.js';

export const GATEWAY_ATTRIBUTE_PREFIX = 'ccag.';

/** Ordered key/value pairs; an attribute the caller has no value for (no team, no key) is left out. */
export type ResourceAttributes = ReadonlyArray<readonly [key: string, value: string]>;

export function resourceAttributesOf(principal: Principal, teamName: string | undefined): ResourceAttributes {
  const attributes: Array<readonly [string, string | null | undefined]> = [
    ['ccag.user.id', principal.userId],
    ['ccag.user.email', principal.userEmail],
    ['ccag.team.id', principal.teamId],
    ['ccag.team.name', teamName],
    ['ccag.key.prefix', principal.keyPrefix],
  ];
  return attributes.filter((entry): entry is readonly [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
}
