/**
 * `allowed_domains` / `blocked_domains`, applied to every provider's hits. Pure. Providers that
 * take domain filters get them too, but not all do, and some treat them as hints: this filter is
 * what the client's request is guaranteed. A domain covers its subdomains (`example.com` admits
 * `docs.example.com`); an entry with a path (`example.com/blog`) also requires that path prefix.
 */
import type { SearchHit } from './providers/types.js';

interface DomainRule {
  readonly host: string;
  readonly path: string;
}

function ruleOf(entry: string): DomainRule {
  const bare = entry.trim().toLowerCase().replace(/^[a-z]+:\/\//, '');
  const slash = bare.indexOf('/');
  const host = (slash === -1 ? bare : bare.slice(0, slash)).replace(/^\*\./, '').replace(/^www\./, '');
  const path = slash === -1 ? '' : bare.slice(slash).replace(/\/+$/, '');
  return { host, path };
}

function matches(url: URL, rule: DomainRule): boolean {
  const host = url.hostname.toLowerCase();
  const hostMatches = host === rule.host || host.endsWith(`.${rule.host}`);
  return hostMatches && (rule.path === '' || url.pathname.toLowerCase().startsWith(rule.path));
}

export function filterHits(hits: readonly SearchHit[], allowed: readonly string[], blocked: readonly string[]): SearchHit[] {
  if (allowed.length === 0 && blocked.length === 0) return [...hits];
  const allow = allowed.map(ruleOf);
  const block = blocked.map(ruleOf);
  return hits.filter((hit) => {
    let url: URL;
    try {
      url = new URL(hit.url);
    } catch {
      return false;
    }
    if (block.some((rule) => matches(url, rule))) return false;
    return allow.length === 0 || allow.some((rule) => matches(url, rule));
  });
}
