/**
 * A mock Amazon SNS and Amazon EventBridge on one `node:http` server, speaking their wire
 * protocols so the AWS SDK clients talk to it unchanged:
 *
 *   SNS (AWS query):  POST /  application/x-www-form-urlencoded  Action=Publish&TopicArn=…&Message=…
 *                     → 200 text/xml <PublishResponse><PublishResult><MessageId>…
 *                     errors: <ErrorResponse><Error><Type/><Code/><Message/></Error></ErrorResponse>
 *   EventBridge (AWS JSON 1.1):  POST /  x-amz-target: AWSEvents.PutEvents  {"Entries":[…]}
 *                     → 200 {"FailedEntryCount":n,"Entries":[{"EventId"} | {"ErrorCode","ErrorMessage"}]}
 *
 * Requests are recorded decoded (form fields, JSON body) for assertions. SigV4 is not verified;
 * `hasAuthorization` records its presence.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SnsPublish {
  form: Record<string, string>;
  hasAuthorization: boolean;
}

export interface EventBridgePut {
  target: string;
  body: { Entries: Array<{ Source: string; DetailType: string; Detail: string; EventBusName: string }> };
  hasAuthorization: boolean;
}

export interface MockAwsNotify {
  url: string;
  publishes: SnsPublish[];
  puts: EventBridgePut[];
  /** Every SNS call fails with this error (e.g. 403 AuthorizationError) until cleared. */
  failSns(error: { status: number; code: string; message: string } | undefined): void;
  /** PutEvents answers 200 but rejects every entry with this code until cleared. */
  rejectEntries(error: { code: string; message: string } | undefined): void;
  close(): Promise<void>;
}

const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export async function startMockAwsNotify(): Promise<MockAwsNotify> {
  const publishes: SnsPublish[] = [];
  const puts: EventBridgePut[] = [];
  let snsFailure: { status: number; code: string; message: string } | undefined;
  let entryRejection: { code: string; message: string } | undefined;

  function sns(raw: string, request: IncomingMessage, response: ServerResponse): void {
    const form = Object.fromEntries(new URLSearchParams(raw));
    publishes.push({ form, hasAuthorization: typeof request.headers.authorization === 'string' });
    const requestId = randomUUID();
    if (snsFailure || form.Action !== 'Publish') {
      const error = snsFailure ?? { status: 400, code: 'InvalidAction', message: `unsupported action ${form.Action}` };
      response.writeHead(error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      response.end(`<ErrorResponse xmlns="${SNS_NS}"><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    response.end(
      `<PublishResponse xmlns="${SNS_NS}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
    );
  }

  function eventBridge(raw: string, target: string, request: IncomingMessage, response: ServerResponse): void {
    const body = JSON.parse(raw) as EventBridgePut['body'];
    puts.push({ target, body, hasAuthorization: typeof request.headers.authorization === 'string' });
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    const entries = body.Entries.map(() => (entryRejection ? { ErrorCode: entryRejection.code, ErrorMessage: entryRejection.message } : { EventId: randomUUID() }));
    response.end(JSON.stringify({ FailedEntryCount: entryRejection ? entries.length : 0, Entries: entries }));
  }

  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string') eventBridge(raw, target, request, response);
      else sns(raw, request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    publishes,
    puts,
    failSns: (error) => void (snsFailure = error),
    rejectEntries: (error) => void (entryRejection = error),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
