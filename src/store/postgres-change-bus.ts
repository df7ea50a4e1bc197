/**
 * The change bus on PostgreSQL LISTEN/NOTIFY, for replicas sharing a database without Redis.
 * Listening needs a session of its own (a pooled connection goes back to the pool), so the bus
 * keeps one dedicated client and replaces it, with backoff, when its connection drops; NOTIFY
 * goes through the pool like any query.
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { ChangeBus } from './change-bus.js';
import { reconnectDelayMs } from './reconnect-backoff.js';
import type { Database } from './schema.js';

/** NOTIFY channels are per database, so every deployment on its own database has its own. */
const CHANNEL = 'ccag_changes';

export interface PostgresChangeBusOptions {
  readonly databaseUrl: string;
  readonly db: Kysely<Database>;
  readonly onChange: () => void;
  readonly log: Logger;
}

export function openPostgresChangeBus(options: PostgresChangeBusOptions): ChangeBus {
  const { db, onChange, log } = options;
  let listener: pg.Client | undefined;
  let connected = false;
  let lost = false;
  let closed = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;
  let received = 0;

  function dropped(client: pg.Client): void {
    if (client !== listener && listener !== undefined) return;
    listener = undefined;
    client.end().catch(() => {});
    if (connected && !closed) {
      lost = true;
      log.warn('change bus (postgres) lost: replicas follow changes by polling until it is back');
    }
    connected = false;
    if (closed) return;
    retry = setTimeout(() => void listen(), reconnectDelayMs(attempt++));
    retry.unref();
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: options.databaseUrl, keepAlive: true });
    listener = client;
    let gone = false;
    const onGone = () => {
      if (gone) return;
      gone = true;
      dropped(client);
    };
    client.on('error', (error) => {
      log.debug({ err: error }, 'change bus (postgres) connection error');
      onGone();
    });
    client.on('end', onGone);
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL) return;
      received += 1;
      onChange();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      log.debug({ err: error }, 'change bus (postgres) could not listen');
      onGone();
      return;
    }
    if (closed || gone) return;
    attempt = 0;
    connected = true;
    if (lost) log.info('change bus (postgres) is back: refreshing every mirror, changes may have been missed');
    lost = false;
    onChange();
  }

  void listen();
  return {
    transport: 'postgres',
    get connected() {
      return connected;
    },
    get received() {
      return received;
    },
    announce() {
      sql`select pg_notify(${CHANNEL}, '')`.execute(db).catch((error: unknown) => log.debug({ err: error }, 'change bus (postgres): announcement not sent; other replicas poll for it'));
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = listener;
      listener = undefined;
      connected = false;
      await client?.end().catch(() => {});
    },
  };
}
