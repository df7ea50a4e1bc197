/**
 * Team routing as the editor handles it: the strategies with what each one trades, and the
 * ordered endpoint list (move up or down, add, remove) that becomes the PUT body. Pure:
 * test/portal/routing.test.ts.
 */
import type { RoutingBody, RoutingStrategy, RoutingView } from './contract.js';

export const STRATEGIES: ReadonlyArray<{ value: RoutingStrategy; label: string; explanation: string }> = [
  { value: 'sticky_user', label: 'Sticky user', explanation: 'Keeps each user on the same healthy endpoint, so the prompt cache stays warm: the cheapest choice for Claude Code.' },
  { value: 'priority', label: 'Priority', explanation: 'Sends everything to the first healthy endpoint and fails over in the order listed.' },
  { value: 'least_utilized', label: 'Least utilized', explanation: 'Follows headroom: each request goes to the endpoint with the most room under its rate limits.' },
  { value: 'round_robin', label: 'Round robin', explanation: 'Spreads load evenly, but each endpoint misses the others’ prompt cache, which can raise cost.' },
];

export const strategyLabel = (strategy: RoutingStrategy): string => STRATEGIES.find((s) => s.value === strategy)?.label ?? strategy;
export const strategyExplanation = (strategy: RoutingStrategy): string => STRATEGIES.find((s) => s.value === strategy)?.explanation ?? '';

export interface RoutingDraft {
  strategy: RoutingStrategy;
  endpointIds: string[];
}

export const draftOf = (view: RoutingView): RoutingDraft => ({ strategy: view.strategy, endpointIds: view.endpoints.map((endpoint) => endpoint.id) });

/** The list with the item at `index` moved one place up (-1) or down (+1); unchanged at either end. */
export function moveItem<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const moved = [...items];
  [moved[index], moved[target]] = [moved[target]!, moved[index]!];
  return moved;
}

export const addItem = (ids: readonly string[], id: string): string[] => (ids.includes(id) ? [...ids] : [...ids, id]);
export const removeItem = (ids: readonly string[], id: string): string[] => ids.filter((other) => other !== id);

/** Endpoints not yet in the list, in the order given. */
export function addable<E extends { id: string }>(all: readonly E[], chosen: readonly string[]): E[] {
  return all.filter((endpoint) => !chosen.includes(endpoint.id));
}

/**
 * Why the draft cannot be saved, or null. A team needs at least one endpoint; the default routing
 * may have none (then it uses every enabled endpoint, the default first).
 */
export function draftProblem(draft: RoutingDraft, isDefault: boolean): string | null {
  if (!isDefault && draft.endpointIds.length === 0) return 'Add at least one endpoint, or use the default routing.';
  return null;
}

export const routingBody = (draft: RoutingDraft): RoutingBody => ({ strategy: draft.strategy, endpoint_ids: [...draft.endpointIds] });

/** "Sticky user over bedrock-us → bedrock-eu", or the default routing's empty list in words. */
export function routingSummary(view: RoutingView): string {
  const endpoints = view.endpoints.length > 0 ? view.endpoints.map((endpoint) => endpoint.name).join(' → ') : 'every enabled endpoint, the default first';
  return `${strategyLabel(view.strategy)} over ${endpoints}`;
}
