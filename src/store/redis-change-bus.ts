/**
 * The change bus on Redis pub/sub. Subscribing takes a connection over, so announcements arrive on
 * their own connection, which ioredis reconnects with backoff; publishing uses the shared client,
 * which fails fast while Redis is down (the announcement is then lost, and polling carries it).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChangeBus } from './change-bus.js';
import { reconnectDelayMs } from './reconnect-backoff.js';
import type { RedisClient } from './redis.js';

export interface RedisChangeBusOptions {
  readonly url: string;
  readonly channel: string;
  readonly publisher: RedisClient;
  readonly onChange: () => void;
  readonly log: Logger;
}

export function openRedisChangeBus(options: RedisChangeBusOptions): ChangeBus {
  const { channel, publisher, onChange, log } = options;
  const subscriber = new Redis(options.url, {
    // Resubscribed by hand on each 'ready', so the catch-up refresh runs once the subscription holds.
    autoResubscribe: false,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => reconnectDelayMs(times - 1),
  });
  let connected = false;
  let lost = false;
  let closing = false;
  let received = 0;

  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        connected = true;
        if (lost) log.info('change bus (redis) is back: refreshing every mirror, changes may have been missed');
        lost = false;
        onChange();
      },
      (error: unknown) => log.warn({ err: error }, 'change bus (redis) could not subscribe; retrying on the next connection'),
    );
  });
  subscriber.on('message', (from: string) => {
    if (from !== channel) return;
    received += 1;
    onChange();
  });
  subscriber.on('close', () => {
    if (connected && !closing) {
      lost = true;
      log.warn('change bus (redis) lost: replicas follow changes by polling until it is back');
    }
    connected = false;
  });
  // Each failed reconnection emits one; the loss itself was logged once on 'close'.
  subscriber.on('error', (error: Error) => log.debug({ err: error }, 'change bus (redis) connection error'));

  return {
    transport: 'redis',
    get connected() {
      return connected;
    },
    get received() {
      return received;
    },
    announce() {
      publisher.publish(channel, '').catch((error: unknown) => log.debug({ err: error }, 'change bus (redis): announcement not sent; other replicas poll for it'));
    },
    async close() {
      closing = true;
      subscriber.disconnect();
    },
  };
}
