/**
 * Why an endpoint check failed, in words for the operator: refused credentials (and which) or an
 * unreachable endpoint. Pure; reads error properties only.
 */
import { describeFailure } from '../upstreams/bedrock/errors.js';
import type { EndpointConfig, EndpointSecrets } from '../upstreams/types.js';

export interface ProbeFailure {
  /** `credentials`: the endpoint answered and refused them; `reachability`: no usable answer. */
  stage: 'credentials' | 'reachability';
  detail: string;
  /** What the endpoint answered, when it did (e.g. "HTTP 401"). */
  answer: string;
}

/** AWS error names that mean "these credentials are wrong or not allowed", not "Bedrock is down". */
const AWS_CREDENTIAL_ERRORS = /^(UnrecognizedClient|InvalidSignature|SignatureDoesNotMatch|IncompleteSignature|InvalidClientTokenId|ExpiredToken|MissingAuthenticationToken|AccessDenied)(Exception)?$/i;

function networkText(err: unknown): string {
  const { code, message } = err as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : typeof message === 'string' ? message : String(err);
}

function bedrockFailure(err: unknown): ProbeFailure {
  const failure = describeFailure(err);
  const text = failure.message ? `${failure.name}: ${failure.message}` : failure.name;
  const answer = failure.httpStatus ? `HTTP ${failure.httpStatus}` : failure.name;
  if (failure.cause === 'credentials') return { stage: 'credentials', detail: `no AWS credentials could be obtained: ${text}`, answer };
  if (/^AccessDenied/i.test(failure.name)) return { stage: 'credentials', detail: `the credentials lack bedrock:ListInferenceProfiles (${text})`, answer };
  if (AWS_CREDENTIAL_ERRORS.test(failure.name) || failure.httpStatus === 401) return { stage: 'credentials', detail: `AWS refused the credentials (${text})`, answer };
  if (failure.httpStatus === undefined) return { stage: 'reachability', detail: `Bedrock could not be reached: ${failure.cause === 'network' ? networkText(err) : text}`, answer };
  return { stage: 'reachability', detail: `Bedrock answered HTTP ${failure.httpStatus} (${text})`, answer };
}

/** The Anthropic upstream's own calls fail as "GET <path> answered <status>: <body>". */
function anthropicFailure(err: unknown, baseUrl: string): ProbeFailure {
  const message = err instanceof Error ? err.message : String(err);
  const answered = /answered (\d{3}): ([\s\S]*)$/.exec(message);
  if (!answered) return { stage: 'reachability', detail: `${baseUrl} could not be reached: ${networkText(err)}`, answer: 'no answer' };
  const status = Number(answered[1]);
  let reason = (answered[2] ?? '').trim();
  try {
    const body = JSON.parse(reason) as { error?: { type?: string; message?: string } };
    if (body.error) reason = [body.error.type, body.error.message].filter(Boolean).join(': ');
  } catch {
    // not the Anthropic error envelope (a proxy's page): keep the text as it came
  }
  const answer = `HTTP ${status}`;
  if (status === 401 || status === 403) return { stage: 'credentials', detail: `the API refused the API key (${answer}${reason ? `: ${reason}` : ''})`, answer };
  return { stage: 'reachability', detail: `${baseUrl} answered ${answer}${reason ? `: ${reason}` : ''}`, answer };
}

export function classifyProbeFailure(config: EndpointConfig, err: unknown): ProbeFailure {
  return config.kind === 'bedrock' ? bedrockFailure(err) : anthropicFailure(err, config.baseUrl ?? 'https://api.anthropic.com');
}

/** Belt and braces: whatever an upstream echoes, no stored secret leaves in a report. */
export function redactSecrets(text: string, secrets: EndpointSecrets): string {
  let out = text;
  for (const secret of [secrets.apiKey, secrets.secretAccessKey, secrets.sessionToken, secrets.externalId]) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
