/**
 * Regression (issue 13): the admin API answered 500 while the database was down. It answers 503
 * `database_unavailable` in the admin shape (and SCIM in its own), and recovers without a
 * restart. The outage is a TCP proxy that is cut, never the shared PostgreSQL itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startDiscoveryServer, type DiscoveryServer } from '../support/discovery-server.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

describe('admin API during a database outage (postgres, issue 13)', () => {
  let database: TestDatabase | undefined;
  let proxy: TcpProxy;
  let gw: TestGateway | undefined;
  let issuer: DiscoveryServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'ccag-admin-outage-'));

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    if (!database) return;
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const viaProxy = new URL(database.databaseUrl!);
    viaProxy.port = String(proxy.port);
    gw = await startGateway({ database: 'postgres', existing: { database, dataDir }, env: { DATABASE_URL: viaProxy.toString(), CCAG_DATABASE_POOL_SIZE: '2' } });
  });

  afterAll(async () => {
    proxy?.restore();
    await gw?.close();
    await proxy?.close();
    await issuer?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the admin API answers 503 database_unavailable while the database is down, not 500, and recovers', async (ctx) => {
    if (!gw) return ctx.skip();
    const token = await gw.adminToken();
    const list = () => fetch(`${gw!.url}/admin/teams`, { headers: { authorization: `Bearer ${token}` } });
    expect((await list()).status).toBe(200);

    proxy.cut();
    const down = await list();
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ error: { code: 'database_unavailable', message: 'The database cannot be reached right now; retry shortly.' } });
    const write = await fetch(`${gw.url}/admin/teams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'during-outage' }),
    });
    expect(write.status).toBe(503);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');

    proxy.restore();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await list()).status) !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(status).toBe(200);
  });

  test('SCIM answers 503 in its own error shape while the database is down', async (ctx) => {
    if (!gw) return ctx.skip();
    issuer = await startDiscoveryServer();
    expect((await gw.admin('POST', '/idps', { name: 'outage-idp', issuer: issuer.issuer, client_id: 'outage-client' })).status).toBe(201);
    expect((await gw.admin('POST', '/idps/outage-idp/scim/enable')).status).toBe(200);
    const { token } = (await gw.admin<{ token: string }>('POST', '/idps/outage-idp/scim/tokens')).body;
    const users = () => fetch(`${gw!.url}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect((await users()).status).toBe(200);

    proxy.cut();
    const down = await users();
    proxy.restore();
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/scim+json');
    expect(await down.json()).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503', detail: 'The database cannot be reached right now; retry shortly.' });
  });
});
