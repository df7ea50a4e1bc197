/**
 * A PostgreSQL outage under live traffic: requests keep being served (no per-request database
 * reads), their spend is buffered, spilled to the local journal at shutdown, and replayed exactly
 * once when a gateway starts again on the recovered database.
 */
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

describe('spend ledger through a database outage (postgres)', () => {
  let mock: MockAnthropic;
  let database: TestDatabase | undefined;
  let proxy: TcpProxy;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    database = await createTestDatabase('postgres');
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  });

  afterAll(async () => {
    await proxy?.close();
    await database?.drop();
    await mock?.close();
  });

  test('served during the outage, journaled at shutdown, replayed once on the next start', async (ctx) => {
    if (!database) return ctx.skip();
    const viaProxy = new URL(database.databaseUrl!);
    viaProxy.port = String(proxy.port);
    const env = { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, DATABASE_URL: viaProxy.toString(), CCAG_DATABASE_POOL_SIZE: '2' };

    const gw = await startGateway({ database: 'postgres', existing: { database, dataDir: mkdtempSync(join(tmpdir(), 'ccag-outage-')) }, env });
    const { key } = await gw!.createKey('outage@example.com');
    const client = new Anthropic({ apiKey: key, baseURL: gw!.url, maxRetries: 0 });
    const ask = (n: number) =>
      client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: `req ${n} [[usage in=100 out=10]]` }] });

    await ask(0);
    expect(await gw!.ledgerRows(1)).toHaveLength(1);

    proxy.cut();
    for (let n = 1; n <= 5; n++) await ask(n);
    await sleep(300);
    await gw!.app.shutdown();
    const journal = readdirSync(join(gw!.dataDir, 'journal')).filter((name) => name.startsWith('spend-journal'));
    expect(journal.length).toBeGreaterThan(0);
    proxy.restore();
    await gw!.store.close();

    const again = await startGateway({ database: 'postgres', existing: { database, dataDir: gw!.dataDir }, env });
    expect(again!.app.bootstrap.journalReplayed).toBe(5);
    const rows = await again!.ledgerRows(6);
    expect(rows).toHaveLength(6);
    expect(rows.reduce((sum, r) => sum + r.cost_micros, 0)).toBe(6 * (100 * 3 + 10 * 15));
    await again!.app.shutdown();
    await again!.store.close();
  });
});
