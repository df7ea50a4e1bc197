import { describe, expect, it } from 'vitest';
import type { EndpointRecord, KeyRecord, PricingRow } from '../../src/cli/admin-types.js';
import { filterPricing, findEndpoint, findKey } from '../../src/cli/resolve.js';

function key(id: string, prefix: string, status: KeyRecord['status'] = 'active'): KeyRecord {
  return { id, prefix, name: null, user_id: 'u1', user_email: 'a@example.com', team_id: null, team_name: null, status, expires_at: null, created_at: '2026-01-01T00:00:00Z', revoked_at: null };
}

describe('findKey', () => {
  const keys = [key('k-1', 'sk-ccag-AbCdEf'), key('k-2', 'sk-ccag-AbCxYz'), key('k-3', 'sk-ccag-QwErTy', 'revoked'), key('k-4', 'sk-ccag-QwErZz')];

  it('prefers an exact id', () => expect(findKey(keys, 'k-2').id).toBe('k-2'));
  it('matches a unique prefix with or without sk-ccag-', () => {
    expect(findKey(keys, 'sk-ccag-AbCd').id).toBe('k-1');
    expect(findKey(keys, 'AbCx').id).toBe('k-2');
  });
  it('prefers the live key when a prefix also matches revoked ones', () => expect(findKey(keys, 'QwEr').id).toBe('k-4'));
  it('still finds a revoked key named exactly', () => expect(findKey(keys, 'sk-ccag-QwErTy').id).toBe('k-3'));
  it('refuses ambiguous 4-character prefixes', () => {
    const twins = [key('k-1', 'sk-ccag-AbCdEf'), key('k-2', 'sk-ccag-AbCdXy')];
    expect(() => findKey(twins, 'AbCd')).toThrow(/matches 2 keys \(k-1, k-2\); give the id/);
  });
  it('refuses prefixes too short to be safe', () => expect(() => findKey([key('k-1', 'sk-ccag-AbCdEf')], 's')).toThrow(/at least 4 characters/));
  it('says when nothing matches', () => expect(() => findKey(keys, 'ZZZZZZ')).toThrow(/no key matches "ZZZZZZ"/));
});

describe('findEndpoint', () => {
  const endpoint = (id: string, name: string) => ({ id, name }) as EndpointRecord;
  const endpoints = [endpoint('e-1', 'bedrock-us'), endpoint('e-2', 'Anthropic'), endpoint('e-3', 'e-1')];

  it('matches the id before the name', () => expect(findEndpoint(endpoints, 'e-1').id).toBe('e-1'));
  it('matches the exact name', () => expect(findEndpoint(endpoints, 'bedrock-us').id).toBe('e-1'));
  it('matches a name case-insensitively when unique', () => expect(findEndpoint(endpoints, 'anthropic').id).toBe('e-2'));
  it('says when nothing matches', () => expect(() => findEndpoint(endpoints, 'nope')).toThrow(/no endpoint has the id or name "nope"/));
});

describe('filterPricing', () => {
  const row = (model_prefix: string) => ({ model_prefix }) as PricingRow;
  const rows = [
    row('claude-sonnet-4-5'),
    row('claude-haiku-4-5'),
    row('claude-sonnet-4'),
    row('claude-opus-4-1'),
    row('us.anthropic.claude-sonnet-4-5'),
    row('anthropic.claude-sonnet-4-5'),
    row('eu.anthropic.claude-haiku-4-5'),
  ];
  const names = (filter: string | undefined) => filterPricing(rows, filter).map((r) => r.model_prefix);

  it('sorts by prefix without a filter', () => expect(names(undefined)[0]).toBe('anthropic.claude-sonnet-4-5'));
  it('lists a family on every provider', () =>
    expect(names('claude-sonnet')).toEqual(['anthropic.claude-sonnet-4-5', 'claude-sonnet-4', 'claude-sonnet-4-5', 'us.anthropic.claude-sonnet-4-5']));
  it('finds the rows that price a full model id', () => expect(names('claude-haiku-4-5-20251001')).toEqual(['claude-haiku-4-5', 'eu.anthropic.claude-haiku-4-5']));
  it('compares a dotted filter as typed', () => {
    expect(names('us.anthropic.claude')).toEqual(['us.anthropic.claude-sonnet-4-5']);
    expect(names('eu.anthropic.claude-haiku-4-5-20251001-v1:0')).toEqual(['eu.anthropic.claude-haiku-4-5']);
  });
});
