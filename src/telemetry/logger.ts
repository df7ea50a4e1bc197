/**
 * The root logger: pino JSON on stdout, or readable coloured lines (pino-pretty) when an operator
 * asks for them with LOG_FORMAT=pretty. Credentials are redacted wherever they could appear, as a
 * backstop: the code never logs request bodies or credential headers in the first place.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Settings } from '../config/settings.js';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'password',
  'token',
  'api_key',
  'secret_access_key',
];

export type LoggerSettings = Pick<Settings, 'logLevel' | 'logFormat'>;

/**
 * Loaded only when asked for: JSON deployments never pay for the formatter. Writes to stdout
 * synchronously, so the last lines before `process.exit` are not lost (a terminal's volume).
 */
function prettyStream(destination: NodeJS.WritableStream | undefined): DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty({
    translateTime: 'SYS:standard',
    ignore: 'pid,hostname,service',
    colorize: destination === undefined && process.stdout.isTTY,
    sync: true,
    ...(destination ? { destination } : {}),
  });
}

export function createLogger(settings: LoggerSettings, destination?: NodeJS.WritableStream): Logger {
  const stream = settings.logFormat === 'pretty' ? prettyStream(destination) : (destination ?? pino.destination({ sync: false }));
  return pino(
    { level: settings.logLevel, base: { service: 'ccag' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, timestamp: pino.stdTimeFunctions.isoTime },
    stream,
  );
}
