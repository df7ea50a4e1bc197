import { describe, expect, it } from 'vitest';
import type { SearchProvider } from '../../portal/src/features/web-search/types.js';
import { KNOWN_PROVIDERS, keepsKey, optionOf, providerFormOf, providerInput, providerProblems, providerSummary, testPath } from '../../portal/src/features/web-search/web-search-logic.js';

const saved: SearchProvider = { type: 'tavily', base_url: null, max_results: 5, key_set: true, updated_at: '2026-03-19T14:30:00.000Z' };
const option = (type: SearchProvider['type']) => optionOf(type, KNOWN_PROVIDERS);

describe('the provider form', () => {
  it('starts from the saved provider with the key empty, or from the first provider offered', () => {
    expect(providerFormOf(saved, KNOWN_PROVIDERS)).toEqual({ type: 'tavily', baseUrl: '', apiKey: '', removeKey: false, maxResults: '5' });
    expect(providerFormOf(null, [KNOWN_PROVIDERS[1]!])).toMatchObject({ type: 'brave', apiKey: '' });
  });

  it('keeps the stored key only for the same provider', () => {
    expect(keepsKey({ type: 'tavily' }, saved)).toBe(true);
    expect(keepsKey({ type: 'brave' }, saved)).toBe(false);
    expect(keepsKey({ type: 'tavily' }, { ...saved, key_set: false })).toBe(false);
    expect(keepsKey({ type: 'tavily' }, null)).toBe(false);
  });

  it('asks for a key the provider needs, a base URL it has no default for, and a sane result count', () => {
    const form = { type: 'tavily' as const, baseUrl: '', apiKey: '', removeKey: false, maxResults: '5' };
    expect(providerProblems(form, option('tavily'), true)).toEqual({});
    expect(providerProblems(form, option('tavily'), false).apiKey).toMatch(/needs an API key/);
    expect(providerProblems({ ...form, type: 'searxng' }, option('searxng'), false)).toEqual({ baseUrl: expect.stringMatching(/Required/) });
    expect(providerProblems({ ...form, type: 'custom', baseUrl: 'search.example.com' }, option('custom'), false).baseUrl).toMatch(/full URL/);
    expect(providerProblems({ ...form, maxResults: '20' }, option('tavily'), true)).toEqual({});
    for (const maxResults of ['', '0', '21', '2.5']) expect(providerProblems({ ...form, maxResults }, option('tavily'), true).maxResults).toMatch(/1 to 20/);
  });

  it('leaves a blank key out (kept), and sends a blank base URL as null (the default), not left out (which would keep a stored proxy)', () => {
    expect(providerInput({ type: 'tavily', baseUrl: ' ', apiKey: '', removeKey: false, maxResults: ' 8 ' })).toEqual({ type: 'tavily', base_url: null, max_results: 8 });
    expect(providerInput({ type: 'searxng', baseUrl: 'https://searx.example.com ', apiKey: 'k', removeKey: false, maxResults: '5' })).toEqual({
      type: 'searxng',
      base_url: 'https://searx.example.com',
      api_key: 'k',
      max_results: 5,
    });
  });

  it('removes an optional key on request, unless a new one is typed', () => {
    expect(providerInput({ type: 'searxng', baseUrl: 'https://searx.example.com', apiKey: '', removeKey: true, maxResults: '5' }).api_key).toBeNull();
    expect(providerInput({ type: 'searxng', baseUrl: 'https://searx.example.com', apiKey: 'new', removeKey: true, maxResults: '5' }).api_key).toBe('new');
  });
});

describe('words and routes', () => {
  it('summarises a provider without its key', () => {
    expect(providerSummary(saved)).toBe('Tavily · up to 5 results · API key set');
    expect(providerSummary({ ...saved, type: 'searxng', base_url: 'https://searx.example.com', key_set: false, max_results: 1 })).toBe('SearXNG (self-hosted) · up to 1 result · https://searx.example.com · no API key (optional)');
  });

  it('tests the caller’s own provider in per-user mode, else the global one for admins only', () => {
    expect(testPath('per_user', false, false)).toBe('/admin/me/web-search/test');
    expect(testPath('per_user', true, true)).toBe('/admin/me/web-search/test');
    expect(testPath('global', true, true)).toBe('/admin/web-search/test');
    expect(testPath('disabled', true, true)).toBe('/admin/web-search/test');
    expect(testPath('global', true, false)).toBeUndefined();
    expect(testPath('global', false, true)).toBeUndefined();
  });
});
