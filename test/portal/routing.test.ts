import { describe, expect, it } from 'vitest';
import type { RoutingView } from '../../portal/src/features/endpoints/contract.js';
import { addItem, addable, draftOf, draftProblem, moveItem, removeItem, routingBody, routingSummary, STRATEGIES, strategyExplanation } from '../../portal/src/features/endpoints/routing.js';

const view = (change: Partial<RoutingView> = {}): RoutingView => ({
  team_id: 't1', team_name: 'Platform', strategy: 'sticky_user', endpoints: [{ id: 'a', name: 'bedrock-us' }, { id: 'b', name: 'bedrock-eu' }], custom: true, updated_at: null, ...change,
});

describe('routing editor', () => {
  it('explains every strategy in one line, sticky user first and naming the prompt cache', () => {
    expect(STRATEGIES.map((s) => s.value)).toEqual(['sticky_user', 'priority', 'least_utilized', 'round_robin']);
    expect(strategyExplanation('sticky_user')).toMatch(/prompt cache/);
    expect(strategyExplanation('round_robin')).toMatch(/cache/);
    expect(strategyExplanation('priority')).toMatch(/fails over in the order/);
    expect(strategyExplanation('least_utilized')).toMatch(/headroom/);
    for (const strategy of STRATEGIES) expect(strategy.explanation).not.toContain('\n');
  });

  it('moves an endpoint up or down, and not past either end', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('adds an endpoint once, removes it, and offers only those not listed', () => {
    expect(addItem(['a'], 'b')).toEqual(['a', 'b']);
    expect(addItem(['a', 'b'], 'a')).toEqual(['a', 'b']);
    expect(removeItem(['a', 'b'], 'a')).toEqual(['b']);
    expect(addable([{ id: 'a' }, { id: 'b' }, { id: 'c' }], ['b'])).toEqual([{ id: 'a' }, { id: 'c' }]);
  });

  it('needs an endpoint for a team, not for the default routing', () => {
    expect(draftProblem({ strategy: 'priority', endpointIds: [] }, false)).toMatch(/at least one endpoint/);
    expect(draftProblem({ strategy: 'priority', endpointIds: [] }, true)).toBeNull();
    expect(draftProblem({ strategy: 'priority', endpointIds: ['a'] }, false)).toBeNull();
  });

  it('turns a view into a draft and a draft into the PUT body', () => {
    const draft = draftOf(view());
    expect(draft).toEqual({ strategy: 'sticky_user', endpointIds: ['a', 'b'] });
    expect(routingBody({ ...draft, endpointIds: moveItem(draft.endpointIds, 1, -1) })).toEqual({ strategy: 'sticky_user', endpoint_ids: ['b', 'a'] });
  });

  it('summarizes a routing in one line', () => {
    expect(routingSummary(view())).toBe('Sticky user over bedrock-us → bedrock-eu');
    expect(routingSummary(view({ strategy: 'priority', endpoints: [] }))).toBe('Priority over every enabled endpoint, the default first');
  });
});
