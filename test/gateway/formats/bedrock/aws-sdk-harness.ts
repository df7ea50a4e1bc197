/**
 * The AWS SDK's own decoders as the judge of the Bedrock format: a node:http server answers with
 * the bytes under test, and real Bedrock clients (static fake credentials, no retries) parse them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface CannedReply {
  status: number;
  headers: Record<string, string>;
  /** Written one `write` each, as a streamed reply would be. */
  chunks: Uint8Array[];
}

export interface SdkHarness {
  /** The server's base URL, for clients other than the two below (an upstream under test). */
  url: string;
  runtime: BedrockRuntimeClient;
  control: BedrockClient;
  /** What the next request is answered with. */
  answer(reply: CannedReply | ((path: string) => CannedReply)): void;
  /** Paths requested, with their query. */
  paths: string[];
  close(): Promise<void>;
}

export async function startSdkHarness(): Promise<SdkHarness> {
  let next: CannedReply | ((path: string) => CannedReply) = { status: 500, headers: {}, chunks: [] };
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '');
      const reply = typeof next === 'function' ? next(req.url ?? '') : next;
      res.writeHead(reply.status, reply.headers);
      for (const chunk of reply.chunks) res.write(chunk);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  };
  const runtime = new BedrockRuntimeClient(config);
  const control = new BedrockClient(config);
  return {
    url: endpoint,
    runtime,
    control,
    paths,
    answer(reply) {
      next = reply;
    },
    async close() {
      runtime.destroy();
      control.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
