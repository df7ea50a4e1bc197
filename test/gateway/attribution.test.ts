import { describe, expect, test } from 'vitest';
import { attributionOf } from '../../src/gateway/attribution.js';

const uuid = '0b6f3c1e-4a2d-4f7e-9c1a-2d3e4f5a6b7c';

describe('attribution of a request', () => {
  test('reads the session, agent and parent headers and the tags billing group', () => {
    const headers = { 'x-claude-code-session-id': uuid, 'x-claude-code-agent-id': 'agent-1', 'x-claude-code-parent-agent-id': 'main' };
    expect(attributionOf(headers, { tags: { billing_group: 'team-a/proj:1=x+y@z' } })).toEqual({ sessionId: uuid, agentId: 'agent-1', parentAgentId: 'main', billingGroup: 'team-a/proj:1=x+y@z' });
  });

  test('drops values over the length bounds or with characters outside the charset, instead of cutting them', () => {
    const headers = { 'x-claude-code-session-id': 's'.repeat(129), 'x-claude-code-agent-id': 'a b', 'x-claude-code-parent-agent-id': ['p1', 'p2'] };
    expect(attributionOf(headers, { tags: { billing_group: 'g'.repeat(65) } })).toEqual({ sessionId: null, agentId: null, parentAgentId: null, billingGroup: null });
    expect(attributionOf({ 'x-claude-code-agent-id': 'a'.repeat(128) }, {}).agentId).toBe('a'.repeat(128));
  });

  test('a billing group may not start with "anthropic", nor be anything but a string under tags.billing_group', () => {
    expect(attributionOf({}, { tags: { billing_group: 'Anthropic-internal' } }).billingGroup).toBeNull();
    expect(attributionOf({}, { tags: ['billing_group'] }).billingGroup).toBeNull();
    expect(attributionOf({}, { tags: { billing_group: 7 } }).billingGroup).toBeNull();
    expect(attributionOf({}, { tags: { billing_group: 'g'.repeat(64) } }).billingGroup).toBe('g'.repeat(64));
  });

  test('a deployment may name another tags key for the billing group; the default key is then ignored', () => {
    const tags = { billing_group: 'by-default', cost_center: 'cc-1234' };
    expect(attributionOf({}, { tags }, 'cost_center').billingGroup).toBe('cc-1234');
    expect(attributionOf({}, { tags }).billingGroup).toBe('by-default');
    expect(attributionOf({}, { tags: { billing_group: 'by-default' } }, 'cost_center').billingGroup).toBeNull();
    // Only the object's own keys: an inherited name is no tag.
    expect(attributionOf({}, { tags: {} }, 'constructor').billingGroup).toBeNull();
  });

  test('without the header the session comes from metadata.user_id, in both of its forms, bounded alike', () => {
    expect(attributionOf({}, { metadata: { user_id: JSON.stringify({ session_id: uuid }) } }).sessionId).toBe(uuid);
    expect(attributionOf({}, { metadata: { user_id: `user_abc_account_x_session_${uuid}` } }).sessionId).toBe(uuid);
    expect(attributionOf({}, { metadata: { user_id: JSON.stringify({ session_id: 'has space' }) } }).sessionId).toBeNull();
  });
});
