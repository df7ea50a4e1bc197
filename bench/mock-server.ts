/**
 * The mock upstream as its own process (so it can be pinned to the load generator's core): the
 * test suite's mock Anthropic API, which speaks the real JSON and SSE wire format.
 *
 * Protocol: prints one JSON line `{"url","apiKey","pid"}` on stdout once listening. Each line
 * `stats` on stdin is answered with `{"seen","abandoned"}`. Exits when stdin closes (the bench
 * died) or on SIGTERM.
 *
 * The mock records every request (with its raw body) for test assertions; a benchmark sends
 * hundreds of thousands, so the records are counted and dropped as they arrive.
 */
import { createInterface } from 'node:readline';
import { startMockAnthropic } from '../test/support/mock-anthropic.js';

const mock = await startMockAnthropic({ apiKey: process.env.BENCH_MOCK_KEY ?? 'sk-ant-bench-mock-upstream-key' });
let seen = 0;
const drain = () => {
  seen += mock.requests.length;
  mock.requests.length = 0;
};
setInterval(drain, 50).unref();

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await mock.close().catch(() => {});
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'stats') {
    drain();
    process.stdout.write(`${JSON.stringify({ seen, abandoned: mock.abandonedStreams })}\n`);
  }
});
lines.on('close', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());

process.stdout.write(`${JSON.stringify({ url: mock.url, apiKey: mock.apiKey, pid: process.pid })}\n`);
