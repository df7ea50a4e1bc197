/**
 * The admin API's web search calls for the CLI, built on `AdminClient.send`. Shapes are the
 * server's own (src/admin/web-search.routes.ts), imported as types only.
 */
import type { MyWebSearchView, TestWebSearchBody, UpdateWebSearchBody, WebSearchProviderBody, WebSearchTestResult, WebSearchView } from '../admin/web-search.routes.js';
import type { AdminClient } from './admin-client.js';

export type { MyWebSearchView, TestWebSearchBody, UpdateWebSearchBody, WebSearchProviderBody, WebSearchTestResult, WebSearchView };

export function webSearchClient(client: AdminClient) {
  return {
    get: () => client.send<WebSearchView>('GET', '/admin/web-search', { auth: true }),
    update: (body: UpdateWebSearchBody) => client.send<WebSearchView>('PUT', '/admin/web-search', { auth: true, body }),
    test: (body: TestWebSearchBody) => client.send<WebSearchTestResult>('POST', '/admin/web-search/test', { auth: true, body }),
    mine: () => client.send<MyWebSearchView>('GET', '/admin/me/web-search', { auth: true }),
    setMine: (body: WebSearchProviderBody) => client.send<MyWebSearchView>('PUT', '/admin/me/web-search', { auth: true, body }),
    removeMine: () => client.send<MyWebSearchView>('DELETE', '/admin/me/web-search', { auth: true }),
    testMine: (body: TestWebSearchBody) => client.send<WebSearchTestResult>('POST', '/admin/me/web-search/test', { auth: true, body }),
  };
}
