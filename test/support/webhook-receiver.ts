/**
 * Webhook receivers for notification tests:
 *  - `startWebhookReceiver`: in-process, records every request (headers, raw body) and answers
 *    with the status a script gives, so tests can make a destination fail and recover;
 *  - `startDocumentedReceiver`: the receiver snippet of docs/notifications.md, extracted from the
 *    docs and run as its own Node process, so the documented verification recipe is what checks
 *    the gateway's signatures. It prints each verified event as a JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedWebhook[];
  /** Sets the status of the next answers (default 204). */
  answerWith(status: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { delayMs?: number } = {}): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  let status = 204;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = () => response.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `receiver says ${status}` : '');
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/ccag`,
    requests,
    answerWith: (next) => void (status = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const DOCS = fileURLToPath(new URL('../../docs/notifications.md', import.meta.url));

/** The first ```js block under "Verifying webhook signatures" in docs/notifications.md. */
export function documentedReceiverSource(): string {
  const docs = readFileSync(DOCS, 'utf8');
  const section = docs.slice(docs.indexOf('#### Verifying webhook signatures'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('docs/notifications.md has no receiver snippet under "Verifying webhook signatures"');
  return match[1]!;
}

export interface DocumentedReceiver {
  url: string;
  /** Events the snippet verified and printed, in order. */
  events: Array<Record<string, unknown>>;
  /** Its stderr (the listening line, and any crash). */
  stderr(): string;
  close(): Promise<void>;
}

export async function startDocumentedReceiver(secret: string): Promise<DocumentedReceiver> {
  const dir = mkdtempSync(join(tmpdir(), 'ccag-receiver-'));
  const file = join(dir, 'ccag-receiver.mjs');
  writeFileSync(file, documentedReceiverSource());
  const child: ChildProcess = spawn(process.execPath, [file], { env: { PATH: process.env.PATH ?? '', CCAG_WEBHOOK_SECRET: secret, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Array<Record<string, unknown>> = [];
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop()!;
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the documented receiver did not start: ${stderr}`)), 10_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const listening = /listening on (\d+)/.exec(stderr);
      if (listening) {
        clearTimeout(timer);
        resolve(Number(listening[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`the documented receiver exited (${code}): ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    events,
    stderr: () => stderr,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
