/**
 * Mock web search providers on one real `node:http` server, each under its own path prefix and
 * speaking its real wire format, checking its credential the way the real service does:
 *
 *   <url>/tavily   POST /search                 Authorization: Bearer <key>   {query,max_results,include_domains,exclude_domains}
 *   <url>/brave    GET  /res/v1/web/search?q&count  X-Subscription-Token      → {web:{results:[{title,url,description,page_age}]}}
 *   <url>/serper   POST /search                 X-API-KEY                      {q,num} → {organic:[{title,link,snippet,date}]}
 *   <url>/exa      POST /search                 x-api-key                      {query,numResults,includeDomains,...} → {results:[{title,url,text,publishedDate}]}
 *   <url>/searxng  GET  /search?q&format=json   (optional bearer)              → {results:[{title,url,content,publishedDate}]}
 *   <url>/custom   POST (the URL itself)        (optional bearer)              {query,max_results,...} → {results:[{title,url,snippet,page_age}]}
 *
 * Every request is recorded. `hits` is what a search finds (all of them, whatever the domains: the
 * gateway must filter); `failWith` makes the next searches answer an HTTP error.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockHit {
  title: string;
  url: string;
  snippet: string;
  age: string | null;
}

export interface SearchRequestRecord {
  provider: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | undefined;
}

export interface MockSearchProvider {
  url: string;
  /** The API key every keyed provider accepts. */
  readonly key: string;
  requests: SearchRequestRecord[];
  /** Mutate to change what later searches find. */
  hits: MockHit[];
  /** When set, searches answer this status (and body) instead. */
  failWith: { status: number; body: string } | undefined;
  /** Milliseconds each search waits before answering. */
  delayMs: number;
  close(): Promise<void>;
}

export const DEFAULT_HITS: MockHit[] = [
  { title: 'CCAG documentation', url: 'https://docs.example.com/ccag', snippet: 'CCAG is a gateway for Claude Code.', age: '2026-01-15' },
  { title: 'CCAG on GitHub', url: 'https://github.com/example/ccag', snippet: 'Source code of CCAG.', age: null },
  { title: 'A blocked page', url: 'https://spam.example.net/ccag', snippet: 'Nothing useful.', age: null },
];

type Json = Record<string, unknown>;

function shapes(provider: string, hits: MockHit[]): Json {
  switch (provider) {
    case 'tavily':
      return { query: 'q', results: hits.map((h) => ({ title: h.title, url: h.url, content: h.snippet, score: 0.9, ...(h.age ? { published_date: h.age } : {}) })) };
    case 'brave':
      return { type: 'search', web: { type: 'search', results: hits.map((h) => ({ title: h.title, url: h.url, description: h.snippet, ...(h.age ? { page_age: h.age } : {}) })) } };
    case 'serper':
      return { searchParameters: { q: 'q' }, organic: hits.map((h, i) => ({ title: h.title, link: h.url, snippet: h.snippet, position: i + 1, ...(h.age ? { date: h.age } : {}) })) };
    case 'exa':
      return { requestId: 'r1', results: hits.map((h) => ({ id: h.url, title: h.title, url: h.url, text: h.snippet, publishedDate: h.age })) };
    case 'searxng':
      return { query: 'q', results: hits.map((h) => ({ title: h.title, url: h.url, content: h.snippet, engine: 'mock', publishedDate: h.age })) };
    default:
      return { results: hits.map((h) => ({ title: h.title, url: h.url, snippet: h.snippet, page_age: h.age })) };
  }
}

/** Whether the request is the provider's real call shape with its credential in the right place. */
function wireProblem(provider: string, req: IncomingMessage, path: string, key: string): string | undefined {
  const h = req.headers;
  switch (provider) {
    case 'tavily':
      if (req.method !== 'POST' || path !== '/search') return 'tavily: POST /search expected';
      return h.authorization === `Bearer ${key}` ? undefined : 'unauthorized';
    case 'brave':
      if (req.method !== 'GET' || path !== '/res/v1/web/search') return 'brave: GET /res/v1/web/search expected';
      return h['x-subscription-token'] === key ? undefined : 'unauthorized';
    case 'serper':
      if (req.method !== 'POST' || path !== '/search') return 'serper: POST /search expected';
      return h['x-api-key'] === key ? undefined : 'unauthorized';
    case 'exa':
      if (req.method !== 'POST' || path !== '/search') return 'exa: POST /search expected';
      return h['x-api-key'] === key ? undefined : 'unauthorized';
    case 'searxng':
      return req.method === 'GET' && path === '/search' ? undefined : 'searxng: GET /search expected';
    default:
      return req.method === 'POST' ? undefined : 'custom: POST expected';
  }
}

export async function startMockSearchProvider(): Promise<MockSearchProvider> {
  const key = 'search-key-0123456789';
  const state = { requests: [] as SearchRequestRecord[], hits: [...DEFAULT_HITS], failWith: undefined as MockSearchProvider['failWith'], delayMs: 0 };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const [, provider = '', ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    state.requests.push({ provider, method: req.method ?? '', path, query: Object.fromEntries(url.searchParams), headers: req.headers, body: raw ? (JSON.parse(raw) as Json) : undefined });
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    const problem = wireProblem(provider, req, path, key);
    if (problem === 'unauthorized') return reply(401, JSON.stringify({ error: 'invalid API key' }));
    if (problem) return reply(404, JSON.stringify({ error: problem }));
    if (provider === 'searxng' && url.searchParams.get('format') !== 'json') return reply(403, 'format not allowed');
    if (state.failWith) return reply(state.failWith.status, state.failWith.body);
    return reply(200, JSON.stringify(shapes(provider, state.hits)));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const mock = {
    url: `http://127.0.0.1:${port}`,
    key,
    get requests() {
      return state.requests;
    },
    get hits() {
      return state.hits;
    },
    set hits(value: MockHit[]) {
      state.hits = value;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(value) {
      state.failWith = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return mock as MockSearchProvider;
}
