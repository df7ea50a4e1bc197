// The floor for any Node proxy on a machine: read the body, JSON.parse it, forward it with
// undici, stream the answer back. No auth, routing or ledger. `npm run bench` compares the
// gateway with the mock; this compares it with what Node itself costs (docs/benchmarks.md).
// Usage: UPSTREAM=http://127.0.0.1:<mock port> API_KEY=<mock key> PORT=9911 node bench/reference/bare-proxy.mjs
import { createServer } from 'node:http';
import { Agent } from 'undici';

const upstream = new URL(process.env.UPSTREAM);
const agent = new Agent({ connections: 512 });

createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    JSON.parse(body.toString('utf8'));
    agent.dispatch(
      {
        origin: upstream.origin,
        path: '/v1/messages',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': process.env.API_KEY, 'anthropic-version': '2023-06-01' },
        body,
      },
      {
        onRequestStart() {},
        onResponseStart(_controller, status) {
          res.writeHead(status, { 'content-type': 'text/event-stream' });
        },
        onResponseData(_controller, chunk) {
          res.write(chunk);
        },
        onResponseEnd() {
          res.end();
        },
        onResponseError(_controller, error) {
          res.destroy(error);
        },
      },
    );
  });
}).listen(Number(process.env.PORT ?? 9911), '127.0.0.1');
