import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dispatchStream } from '../../src/upstreams/dispatch-stream.js';

describe('dispatchStream', () => {
  let server: Server;
  let origin: string;
  let closedEarly = 0;
  const agent = new Agent();

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') {
        // 200 chunks of 64 KB: far more than the client buffers, so it must pause and resume.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-test': 'yes' });
        let sent = 0;
        const pump = () => {
          while (sent < 200) {
            sent += 1;
            if (!res.write(Buffer.alloc(65536, sent % 256))) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => {
          if (!res.writableFinished) closedEarly += 1;
        });
        return pump();
      }
      if (req.url === '/cut') {
        res.writeHead(200);
        res.write('partial');
        return void setTimeout(() => res.destroy(), 20);
      }
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end('hello');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const collect = async (body: AsyncIterable<Uint8Array>) => {
    const parts: Buffer[] = [];
    for await (const chunk of body) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts);
  };

  test('status, headers and the whole body', async () => {
    const response = await dispatchStream(agent, { origin, path: '/small', method: 'GET' }, new AbortController().signal);
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('text/plain');
    expect((await collect(response.body)).toString()).toBe('hello');
  });

  test('a large body arrives complete and in order through pauses', async () => {
    const response = await dispatchStream(agent, { origin, path: '/big', method: 'GET' }, new AbortController().signal);
    const body = await collect(response.body);
    expect(body.length).toBe(200 * 65536);
    for (let i = 0; i < 200; i++) expect(body[i * 65536]).toBe((i + 1) % 256);
  });

  test('a reader that stops early releases the upstream connection', async () => {
    const before = closedEarly;
    const response = await dispatchStream(agent, { origin, path: '/big', method: 'GET' }, new AbortController().signal);
    for await (const _chunk of response.body) break;
    for (let i = 0; i < 100 && closedEarly === before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closedEarly).toBe(before + 1);
  });

  test('an abort signal cancels the call; a connection cut mid-body fails the iteration', async () => {
    const controller = new AbortController();
    controller.abort(new Error('client gone'));
    await expect(dispatchStream(agent, { origin, path: '/small', method: 'GET' }, controller.signal)).rejects.toThrow('client gone');
    const cut = await dispatchStream(agent, { origin, path: '/cut', method: 'GET' }, new AbortController().signal);
    await expect(collect(cut.body)).rejects.toThrow();
  });
});
