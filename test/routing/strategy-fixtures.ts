/** Candidates and health stubs for the strategy tests. */
import { RouteRotation, type HealthView, type StrategyContext } from '../../src/routing/strategies/index.js';

export interface Candidate {
  id: string;
}

/** UUID-shaped ids that differ in few characters, the hard case for a weak hash. */
export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const endpoints = (...names: string[]): Candidate[] => names.map((id) => ({ id }));

export interface StubHealth {
  available?: boolean;
  availableAt?: number;
  headroom?: number;
}

export function contextOf(health: Record<string, StubHealth> = {}, overrides: Partial<StrategyContext> = {}): StrategyContext {
  const view = (id: string): HealthView => ({
    available: () => health[id]?.available ?? true,
    availableAt: (now) => health[id]?.availableAt ?? now,
    headroom: () => health[id]?.headroom ?? 1,
  });
  return { routeKey: '', userKey: 'user-1', now: 1_000, health: view, rotation: new RouteRotation(), ...overrides };
}
