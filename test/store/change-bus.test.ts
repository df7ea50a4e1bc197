/**
 * The change bus on each transport, against the real servers: an announcement from one replica
 * reaches the others (and itself) within a second; when a replica's channel is cut it reports
 * so, misses what is announced meanwhile, reconnects when the channel is back and then asks for a
 * full refresh, since announcements may have been missed.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openChangeBus, type ChangeBus } from '../../src/store/change-bus.js';
import type { Store } from '../../src/store/database.js';
import { openRedis, type RedisClient } from '../../src/store/redis.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { until } from '../support/until.js';

const log = pino({ level: 'silent' });
const REDIS_URL = process.env.CCAG_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A bus and how many times it asked this replica to refresh. */
interface Replica {
  bus: ChangeBus;
  refreshes: number;
}

interface Transport {
  /** Opens a replica's bus; `viaProxy` routes its channel through the proxy the test cuts. */
  open(viaProxy: boolean): Promise<Replica>;
  proxy: TcpProxy;
  close(): Promise<void>;
}

async function redisTransport(): Promise<Transport> {
  const target = new URL(REDIS_URL);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  const proxied = new URL(REDIS_URL);
  proxied.port = String(proxy.port);
  const prefix = `ccag-test-${randomUUID()}:`;
  const clients: RedisClient[] = [];
  const store = { dialect: 'sqlite' } as Store;
  return {
    proxy,
    async open(viaProxy) {
      const url = viaProxy ? proxied.toString() : REDIS_URL;
      const redis = await openRedis(url);
      // The shared client also loses its connection at the cut; its errors are expected here.
      redis.on('error', () => {});
      clients.push(redis);
      const replica: Replica = { refreshes: 0, bus: undefined as unknown as ChangeBus };
      replica.bus = await openChangeBus({ settings: { redisUrl: url, redisPrefix: prefix, databaseUrl: undefined }, store, redis, log, onChange: () => replica.refreshes++ });
      return replica;
    },
    async close() {
      for (const client of clients) client.disconnect();
      await proxy.close();
    },
  };
}

async function postgresTransport(database: TestDatabase): Promise<Transport> {
  const target = new URL(database.databaseUrl!);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxied = new URL(database.databaseUrl!);
  proxied.port = String(proxy.port);
  const stores: Store[] = [];
  return {
    proxy,
    async open(viaProxy) {
      const store = await database.open();
      stores.push(store);
      const databaseUrl = viaProxy ? proxied.toString() : database.databaseUrl!;
      const replica: Replica = { refreshes: 0, bus: undefined as unknown as ChangeBus };
      replica.bus = await openChangeBus({ settings: { redisUrl: undefined, redisPrefix: 'ccag:', databaseUrl }, store, redis: undefined, log, onChange: () => replica.refreshes++ });
      return replica;
    },
    async close() {
      for (const store of stores) await store.close();
      await proxy.close();
    },
  };
}

describe.each(['redis', 'postgres'] as const)('change bus on %s', (kind) => {
  let database: TestDatabase | undefined;
  let transport: Transport | undefined;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    if (kind === 'postgres') {
      database = await createTestDatabase('postgres');
      if (!database) return;
    }
    transport = kind === 'redis' ? await redisTransport() : await postgresTransport(database!);
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.bus.close();
    await transport?.close();
    await database?.drop();
  });

  test('an announcement reaches every replica, itself included, within a second; a cut channel reconnects and asks for a full refresh', async (ctx) => {
    if (!transport) return ctx.skip();
    const [writer, direct, cut] = [await transport.open(false), await transport.open(false), await transport.open(true)];
    replicas.push(writer, direct, cut);
    expect(writer.bus.transport).toBe(kind);
    // Each subscription, once it holds, asks for one refresh: at start it catches up on nothing.
    await until(() => replicas.every((replica) => replica.bus.connected && replica.refreshes === 1), 5_000, 'every bus subscribed');

    writer.bus.announce();
    const reached = await until(() => replicas.every((replica) => replica.bus.received === 1 && replica.refreshes === 2), 1_000, 'announcement delivered');
    console.log(`[change bus ${kind}] announcement reached 3 subscribers in ${reached.toFixed(1)} ms`);

    transport.proxy.cut();
    await until(() => !cut.bus.connected, 2_000, 'cut noticed');
    writer.bus.announce();
    await until(() => direct.bus.received === 2, 1_000, 'announcement during the cut');
    // Give a stray delivery time to show up: the cut replica must not have received it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cut.bus.received).toBe(1);
    expect(cut.refreshes).toBe(2);

    transport.proxy.restore();
    const back = await until(() => cut.bus.connected, 10_000, 'reconnection');
    // The catch-up refresh on reconnection, for the announcement it missed.
    expect(cut.refreshes).toBe(3);
    writer.bus.announce();
    const after = await until(() => cut.bus.received === 2 && cut.refreshes === 4, 1_000, 'announcement after restore');
    console.log(`[change bus ${kind}] reconnected ${back.toFixed(0)} ms after restore; next announcement in ${after.toFixed(1)} ms`);
    expect(direct.bus.received).toBe(3);
  }, 30_000);
});

describe('change bus in memory (one SQLite process)', () => {
  test('an announcement refreshes this process on the next turn of the event loop', async () => {
    let refreshes = 0;
    const bus = await openChangeBus({ settings: { redisUrl: undefined, redisPrefix: 'ccag:', databaseUrl: undefined }, store: { dialect: 'sqlite' } as Store, redis: undefined, log, onChange: () => refreshes++ });
    expect(bus).toMatchObject({ transport: 'memory', connected: true });
    bus.announce();
    expect(refreshes).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(refreshes).toBe(1);
    expect(bus.received).toBe(1);
    await bus.close();
  });
});
