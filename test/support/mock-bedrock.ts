/**
 * A mock Amazon Bedrock (runtime, control plane and STS AssumeRole) on a real `node:http` server,
 * speaking Bedrock's wire formats so the AWS SDK talks to it unchanged. Replies come from
 * mock-script.ts, so this mock and the mock Anthropic API answer the same conversation.
 *
 * Routes:
 *   POST /model/{modelId}/invoke                     JSON Messages body
 *   POST /model/{modelId}/invoke-with-response-stream  application/vnd.amazon.eventstream
 *   POST /model/{modelId}/count-tokens               {"input":{"invokeModel":{"body":"<base64>"}}}
 *   GET  /inference-profiles                         ListInferenceProfiles, paginated by nextToken
 *   POST /                                           STS AssumeRole (form encoded, XML reply)
 *   POST /  x-amz-target: ServiceQuotasV20190624.ListServiceQuotas
 *                                                    Service Quotas (JSON 1.1), paginated by NextToken
 *
 * It validates like Bedrock: 400 ValidationException for a body holding `model`, `stream` or
 * `tags`, lacking `anthropic_version: "bedrock-2023-05-31"` or `max_tokens`, carrying a beta from
 * `rejectedBetas`, or naming a model id it does not know. CountTokens accepts only foundation-model
 * ids (as the real API does). SigV4 is not verified; `hasAuthorization` records its presence.
 *
 * Directives (last user message), beyond those of mock-script.ts:
 *   [[bedrock-error ThrottlingException Rate exceeded]]   AWS JSON error before the first byte
 *                                                         (status from the exception name)
 *   [[bedrock-midstream ModelStreamErrorException boom]]  exception frame after the first text delta
 *   [[bedrock-first ThrottlingException slow down]]       exception frame as the very first frame
 * The shared ones map to Bedrock's vocabulary: [[error 429 ...]] → ThrottlingException,
 * [[error 529 ...]] → ServiceUnavailableException, [[error 400 ...]] → ValidationException, other
 * statuses → InternalServerException; [[midstream-error]] → a serviceUnavailableException frame.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { corruptFrame, resetConnection } from './mock-faults.js';
import { countTokensFor, lastUserText, messageBody, streamEvents, turnFor, type MockTurn, type SseEvent } from './mock-script.js';
import { scriptedEvents, scriptedMessage, type ScriptedTurn } from './scripted-turn.js';

export type MockOperation = 'invoke' | 'invoke-stream' | 'count-tokens' | 'list-inference-profiles' | 'assume-role' | 'list-service-quotas' | 'unknown';

export interface RecordedRequest {
  method: string;
  path: string;
  operation: MockOperation;
  /** The model id from the path, URL-decoded. */
  modelId?: string;
  headers: IncomingHttpHeaders;
  hasAuthorization: boolean;
  query: Record<string, string>;
  /** The Messages body Bedrock would run: the request body, or CountTokens' decoded invokeModel body. */
  body?: unknown;
  /** STS form fields. */
  form?: Record<string, string>;
  /** Service Quotas JSON body. */
  json?: Record<string, unknown>;
  /** The `x-amzn-requestid` this mock answered with. */
  replyRequestId?: string;
}

export interface MockStream {
  modelId: string;
  framesSent: number;
  /** True when the client closed the connection before the last frame. */
  abortedByClient: boolean;
  /** Resolves when the response is finished or its connection closed. */
  closed: Promise<void>;
}

export interface MockBedrockOptions {
  /** System-defined inference profile ids served by ListInferenceProfiles. */
  profiles?: string[];
  /** Largest page served whatever the caller asks (default 4, so clients must paginate). */
  pageSize?: number;
  /** Betas answered with 400 ValidationException. */
  rejectedBetas?: string[];
  /** When false the beta error says only "invalid beta flag", like Bedrock often does. */
  nameRejectedBeta?: boolean;
  /** An AWS error for every ListInferenceProfiles call. */
  listProfilesError?: { name: string; message: string };
  /** Foundation-model ids CountTokens refuses, as it does for CRIS-only launches. */
  uncountableModels?: string[];
  /** Quotas of ServiceCode `bedrock` served by ListServiceQuotas (default DEFAULT_QUOTAS). */
  quotas?: MockServiceQuota[];
  /** Answer ListServiceQuotas with AccessDeniedException, as for a role without servicequotas:ListServiceQuotas. */
  denyQuotas?: boolean;
  /** Answer STS AssumeRole with AccessDenied, as when the role's trust policy refuses the caller or external id. */
  denyAssumeRole?: boolean;
  /** A scripted turn for the Messages body Bedrock runs (test/support/scripted-turn.ts), or undefined for the directives. */
  script?: (body: Record<string, unknown>) => ScriptedTurn | undefined;
}

export interface MockServiceQuota {
  QuotaCode: string;
  QuotaName: string;
  Value: number;
  Unit: string;
  Adjustable: boolean;
}

export interface MockBedrock {
  url: string;
  requests: RecordedRequest[];
  streams: MockStream[];
  /** Mutate in place to change what later calls see. */
  profiles: string[];
  /** Mutate in place to change what later calls see. */
  rejectedBetas: Set<string>;
  /** Mutate in place to change what later ListServiceQuotas calls see. */
  quotas: MockServiceQuota[];
  /** Closes kept-alive connections that carry no request (as their idle timeout would). */
  closeIdleConnections(): void;
  close(): Promise<void>;
}

export const DEFAULT_PROFILES = [
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  'global.anthropic.claude-haiku-4-5-20251001-v1:0',
  'us.anthropic.claude-opus-4-6-v1',
  'global.anthropic.claude-opus-4-6-v1',
  'us.anthropic.claude-sonnet-4-20250514-v1:0',
  'apac.anthropic.claude-sonnet-4-20250514-v1:0',
  'us.anthropic.claude-opus-4-1-20250805-v1:0',
  'global.anthropic.claude-sonnet-4-6',
];

/** A few of Bedrock's real quotas: Claude ones and others the gateway must leave out. */
export const DEFAULT_QUOTAS: MockServiceQuota[] = [
  { QuotaCode: 'L-1111AAAA', QuotaName: 'On-demand model inference tokens per minute for Anthropic Claude Sonnet 4.5 V1', Value: 2_000_000, Unit: 'None', Adjustable: true },
  { QuotaCode: 'L-2222BBBB', QuotaName: 'Cross-region model inference requests per minute for Anthropic Claude Sonnet 4.5 V1', Value: 200, Unit: 'None', Adjustable: true },
  { QuotaCode: 'L-3333CCCC', QuotaName: 'On-demand model inference tokens per minute for Amazon Nova Pro', Value: 1_000_000, Unit: 'None', Adjustable: true },
  { QuotaCode: 'L-4444DDDD', QuotaName: 'Model invocation max tokens per day for Anthropic Claude Opus 4.6 V1', Value: 720_000_000, Unit: 'None', Adjustable: false },
  { QuotaCode: 'L-5555EEEE', QuotaName: 'Batch inference job size (in GB) for Meta Llama 3', Value: 5, Unit: 'Gigabytes', Adjustable: false },
  { QuotaCode: 'L-6666FFFF', QuotaName: 'Cross-region model inference tokens per minute for Anthropic Claude Haiku 4.5', Value: 4_000_000, Unit: 'None', Adjustable: true },
];

const QUOTAS_TARGET = 'ServiceQuotasV20190624.ListServiceQuotas';

const ACCOUNT = '123456789012';
const STATUS_FOR: Record<string, number> = {
  ThrottlingException: 429,
  ServiceQuotaExceededException: 400,
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

const RUNTIME_OPERATIONS: Record<string, MockOperation> = { invoke: 'invoke', 'invoke-with-response-stream': 'invoke-stream', 'count-tokens': 'count-tokens' };

const codec = new EventStreamCodec(toUtf8, fromUtf8);

class AwsError extends Error {
  constructor(
    readonly awsName: string,
    message: string,
  ) {
    super(message);
  }
}

function stripGeo(modelId: string): string {
  return modelId.replace(/^[a-z][a-z-]*\.(?=anthropic\.)/, '');
}

function knownModel(modelId: string, profiles: string[]): boolean {
  if (modelId.startsWith('arn:aws:bedrock:')) return /:(foundation-model|inference-profile|application-inference-profile)\//.test(modelId);
  if (profiles.includes(modelId)) return true;
  return modelId === stripGeo(modelId) && profiles.some((p) => stripGeo(p) === modelId);
}

function validateBody(body: unknown, rejected: Set<string>, nameBeta: boolean): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AwsError('ValidationException', 'Malformed input request, please reformat your input and try again.');
  const b = body as Record<string, unknown>;
  for (const field of ['model', 'stream', 'tags']) {
    if (field in b) throw new AwsError('ValidationException', `Malformed input request: #: extraneous key [${field}] is not permitted, please reformat your input and try again.`);
  }
  if (b.anthropic_version !== 'bedrock-2023-05-31') throw new AwsError('ValidationException', 'Malformed input request: #: required key [anthropic_version] not found');
  if (typeof b.max_tokens !== 'number') throw new AwsError('ValidationException', 'Malformed input request: #: required key [max_tokens] not found');
  const betas = Array.isArray(b.anthropic_beta) ? (b.anthropic_beta as string[]) : [];
  const bad = betas.find((beta) => rejected.has(beta));
  if (bad) throw new AwsError('ValidationException', nameBeta ? `invalid beta flag: ${bad}` : 'invalid beta flag');
  return b;
}

function directiveArgs(text: string, name: string): { name: string; message: string } | undefined {
  const match = new RegExp(`\\[\\[${name} (\\S+)(?: ([^\\]]*))?\\]\\]`).exec(text);
  return match ? { name: match[1] ?? 'InternalServerException', message: match[2] ?? 'Internal server error' } : undefined;
}

function preFirstByteError(body: Record<string, unknown>, turn: MockTurn): AwsError | undefined {
  const explicit = directiveArgs(lastUserText(body), 'bedrock-error');
  if (explicit) return new AwsError(explicit.name, explicit.message);
  if (!turn.error) return undefined;
  const { status, message } = turn.error;
  const name = status === 429 ? 'ThrottlingException' : status === 529 || status === 503 ? 'ServiceUnavailableException' : status === 400 ? 'ValidationException' : 'InternalServerException';
  return new AwsError(name, message);
}

const recordOf = new WeakMap<ServerResponse, RecordedRequest>();

function replyId(res: ServerResponse): string {
  const id = randomUUID();
  const record = recordOf.get(res);
  if (record) record.replyRequestId = id;
  return id;
}

function sendAwsError(res: ServerResponse, err: AwsError): void {
  res.writeHead(STATUS_FOR[err.awsName] ?? 500, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${err.awsName}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': replyId(res),
  });
  res.end(JSON.stringify({ message: err.message }));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': replyId(res) });
  res.end(JSON.stringify(body));
}

function chunkFrame(data: Record<string, unknown>): Uint8Array {
  const payload = JSON.stringify({ bytes: Buffer.from(JSON.stringify(data)).toString('base64'), p: 'abcdefghij' });
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(payload),
  });
}

function exceptionFrame(name: string, message: string): Uint8Array {
  // Bedrock names stream exceptions by their union member: lower camel case.
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: member },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function streamReply(res: ServerResponse, body: Record<string, unknown>, modelId: string, streams: MockStream[]): Promise<void> {
  const turn = turnFor(body);
  const text = lastUserText(body);
  let settle!: () => void;
  const stream: MockStream = { modelId, framesSent: 0, abortedByClient: false, closed: new Promise<void>((resolve) => (settle = resolve)) };
  streams.push(stream);
  let finished = false;
  res.on('close', () => {
    if (!finished) stream.abortedByClient = true;
    settle();
  });
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-bedrock-content-type': 'application/json',
    'x-amzn-requestid': replyId(res),
  });
  const write = (frame: Uint8Array) => {
    if (res.destroyed) return false;
    res.write(frame);
    stream.framesSent += 1;
    return true;
  };
  const first = directiveArgs(text, 'bedrock-first');
  if (first) {
    write(exceptionFrame(first.name, first.message));
    finished = true;
    res.end();
    return;
  }
  const midstream = directiveArgs(text, 'bedrock-midstream') ?? (turn.midstreamError ? { name: 'ServiceUnavailableException', message: 'Bedrock is unable to process your request.' } : undefined);
  const events = streamEvents(turn, stripGeo(modelId), `msg_bdrk_${randomUUID().replace(/-/g, '').slice(0, 24)}`);
  let deltas = 0;
  for (const event of events) {
    if (res.destroyed) return;
    const data = { ...event.data };
    if (event.event === 'message_stop') {
      data['amazon-bedrock-invocationMetrics'] = {
        inputTokenCount: turn.usage.input_tokens,
        outputTokenCount: turn.usage.output_tokens,
        invocationLatency: 321,
        firstByteLatency: 123,
        cacheReadInputTokenCount: turn.usage.cache_read_input_tokens,
        cacheWriteInputTokenCount: turn.usage.cache_creation_input_tokens,
      };
    }
    if (!write(chunkFrame(data))) return;
    if (event.event === 'content_block_delta' && (deltas += 1) === 1) {
      if (turn.fault === 'reset') return resetConnection(res);
      if (turn.fault === 'bad-crc' || turn.fault === 'truncated-prelude') {
        write(corruptFrame(chunkFrame(data), turn.fault));
        finished = true;
        res.end();
        return;
      }
      if (midstream) {
        write(exceptionFrame(midstream.name, midstream.message));
        finished = true;
        res.end();
        return;
      }
      if (turn.pauseMs > 0) await sleep(turn.pauseMs);
    }
    if (turn.delayMs > 0) await sleep(turn.delayMs);
  }
  finished = true;
  if (!res.destroyed) res.end();
}

function profileSummary(id: string): Record<string, unknown> {
  const base = stripGeo(id);
  return {
    inferenceProfileName: `${id.split('.')[0]?.toUpperCase()} ${base}`,
    inferenceProfileArn: `arn:aws:bedrock:us-east-1:${ACCOUNT}:inference-profile/${id}`,
    inferenceProfileId: id,
    models: [{ modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${base}` }],
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
    createdAt: '2025-09-29T00:00:00Z',
    updatedAt: '2025-09-29T00:00:00Z',
  };
}

function assumeRoleXml(form: Record<string, string>): string {
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAMOCKASSUMED00001</AccessKeyId><SecretAccessKey>mock-secret</SecretAccessKey><SessionToken>mock-session-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAMOCK:${form.RoleSessionName ?? ''}</AssumedRoleId><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/mock/${form.RoleSessionName ?? ''}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

function assumeRoleDeniedXml(form: Record<string, string>): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::${ACCOUNT}:user/source is not authorized to perform: sts:AssumeRole on resource: ${form.RoleArn ?? ''}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

/** Service Quotas speaks JSON 1.1: errors carry their type in `__type` with status 400. */
function listServiceQuotas(res: ServerResponse, body: Record<string, unknown>, quotas: MockServiceQuota[], options: MockBedrockOptions): void {
  const reply = (status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': replyId(res) });
    res.end(JSON.stringify(payload));
  };
  if (options.denyQuotas) {
    return reply(400, { __type: 'AccessDeniedException', Message: `User: arn:aws:iam::${ACCOUNT}:user/ccag is not authorized to perform: servicequotas:ListServiceQuotas` });
  }
  if (body.ServiceCode !== 'bedrock') return reply(400, { __type: 'NoSuchResourceException', Message: `unknown service ${String(body.ServiceCode)}` });
  const start = Number(body.NextToken ?? 0);
  const size = Math.min(Number(body.MaxResults ?? 100), options.pageSize ?? 4);
  const next = start + size < quotas.length ? String(start + size) : undefined;
  const page = quotas.slice(start, start + size).map((quota) => ({
    ServiceCode: 'bedrock',
    ServiceName: 'Amazon Bedrock',
    QuotaArn: `arn:aws:servicequotas:us-east-1:${ACCOUNT}:bedrock/${quota.QuotaCode}`,
    GlobalQuota: false,
    ...quota,
  }));
  return reply(200, { Quotas: page, ...(next ? { NextToken: next } : {}) });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startMockBedrock(options: MockBedrockOptions = {}): Promise<MockBedrock> {
  const requests: RecordedRequest[] = [];
  const streams: MockStream[] = [];
  const mock = {
    requests,
    streams,
    profiles: [...(options.profiles ?? DEFAULT_PROFILES)],
    rejectedBetas: new Set(options.rejectedBetas ?? []),
    quotas: [...(options.quotas ?? DEFAULT_QUOTAS)],
  };
  const nameBeta = options.nameRejectedBeta ?? true;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    const raw = await readBody(req);
    const match = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream|count-tokens)$/.exec(url.pathname);
    const operation: MockOperation = match
      ? (RUNTIME_OPERATIONS[match[2] ?? ''] ?? 'unknown')
      : req.method === 'GET' && url.pathname === '/inference-profiles'
        ? 'list-inference-profiles'
        : req.method === 'POST' && url.pathname === '/' && req.headers['x-amz-target'] === QUOTAS_TARGET
          ? 'list-service-quotas'
          : req.method === 'POST' && url.pathname === '/' && raw.includes('Action=AssumeRole')
            ? 'assume-role'
            : 'unknown';
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      operation,
      headers: req.headers,
      hasAuthorization: typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0,
      query: Object.fromEntries(url.searchParams),
    };
    if (match) record.modelId = decodeURIComponent(match[1] ?? '');
    requests.push(record);
    recordOf.set(res, record);

    if (operation === 'assume-role') {
      record.form = Object.fromEntries(new URLSearchParams(raw));
      if (options.denyAssumeRole) {
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(assumeRoleDeniedXml(record.form));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(assumeRoleXml(record.form));
      return;
    }
    if (operation === 'list-service-quotas') {
      record.json = JSON.parse(raw || '{}') as Record<string, unknown>;
      return listServiceQuotas(res, record.json, mock.quotas, options);
    }
    if (operation === 'list-inference-profiles') {
      if (options.listProfilesError) return sendAwsError(res, new AwsError(options.listProfilesError.name, options.listProfilesError.message));
      const wanted = record.query.type && record.query.type !== 'SYSTEM_DEFINED' ? [] : mock.profiles;
      const start = Number(record.query.nextToken ?? 0);
      const size = Math.min(Number(record.query.maxResults ?? 1000), options.pageSize ?? 4);
      const page = wanted.slice(start, start + size);
      const next = start + size < wanted.length ? String(start + size) : undefined;
      return sendJson(res, 200, { inferenceProfileSummaries: page.map(profileSummary), ...(next ? { nextToken: next } : {}) });
    }
    if (!match || !record.modelId) return sendAwsError(res, new AwsError('UnknownOperationException', `No route for ${req.method} ${url.pathname}`));

    try {
      const modelId = record.modelId;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
        if (operation === 'count-tokens') {
          const encoded = (parsed as { input?: { invokeModel?: { body?: string } } }).input?.invokeModel?.body ?? '';
          parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
        }
      } catch {
        throw new AwsError('ValidationException', 'Malformed input request, please reformat your input and try again.');
      }
      record.body = parsed;
      if (!knownModel(modelId, mock.profiles)) throw new AwsError('ValidationException', 'The provided model identifier is invalid.');
      if (operation === 'count-tokens' && (modelId.startsWith('arn:') || stripGeo(modelId) !== modelId || options.uncountableModels?.includes(modelId))) {
        throw new AwsError('ValidationException', "The provided model doesn't support counting tokens.");
      }
      const body = validateBody(parsed, mock.rejectedBetas, nameBeta);
      if (operation === 'count-tokens') return sendJson(res, 200, { inputTokens: countTokensFor(body) });
      const scripted = options.script?.(body);
      if (scripted) {
        await scripted.holdUntil;
        if (scripted.awsError) throw new AwsError(scripted.awsError.name, scripted.awsError.message);
        const id = `msg_bdrk_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
        if (operation === 'invoke') return sendJson(res, 200, scriptedMessage(scripted, stripGeo(modelId), id));
        return streamScripted(res, scriptedEvents(scripted, stripGeo(modelId), id), modelId, streams);
      }
      const turn = turnFor(body);
      const failure = preFirstByteError(body, turn);
      if (failure) throw failure;
      if (turn.fault === 'hang') return;
      if (operation === 'invoke') return sendJson(res, 200, messageBody(turn, stripGeo(modelId), `msg_bdrk_${randomUUID().replace(/-/g, '').slice(0, 24)}`));
      await streamReply(res, body, modelId, streams);
    } catch (err) {
      if (err instanceof AwsError) return sendAwsError(res, err);
      throw err;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendAwsError(res, new AwsError('InternalServerException', String(err)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    ...mock,
    closeIdleConnections: () => server.closeIdleConnections(),
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      })),
  };
}

/** A scripted turn's events as Bedrock's event stream, all at once (tests hold a turn back with `holdUntil`). */
function streamScripted(res: ServerResponse, events: SseEvent[], modelId: string, streams: MockStream[]): void {
  const stream: MockStream = { modelId, framesSent: 0, abortedByClient: false, closed: Promise.resolve() };
  streams.push(stream);
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-content-type': 'application/json', 'x-amzn-requestid': replyId(res) });
  for (const event of events) {
    res.write(chunkFrame(event.data));
    stream.framesSent += 1;
  }
  res.end();
}
