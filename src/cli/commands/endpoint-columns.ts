/** What the endpoints commands share: the list's columns, one endpoint's fields, and flag parsers. */
import type { BedrockAuth, EndpointRecord } from '../admin-types.js';
import { UsageError } from '../errors.js';
import { formatTime, type Column } from '../output.js';

export const ENDPOINT_COLUMNS: readonly Column<EndpointRecord>[] = [
  { header: 'ID', value: (endpoint) => endpoint.id },
  { header: 'Name', value: (endpoint) => endpoint.name },
  { header: 'Kind', value: (endpoint) => endpoint.kind },
  { header: 'Target', value: target },
  { header: 'Auth', value: authLabel },
  { header: 'Default', value: (endpoint) => endpoint.is_default },
  { header: 'Enabled', value: (endpoint) => endpoint.enabled },
  { header: 'Priority', value: (endpoint) => endpoint.priority, align: 'right' },
];

export const ENDPOINT_FIELDS: readonly Column<EndpointRecord>[] = [
  ...ENDPOINT_COLUMNS,
  { header: 'Credentials', value: (endpoint) => (endpoint.has_credentials ? 'stored' : 'none') },
  { header: 'Inference profiles', value: inferenceProfilesText },
  { header: 'Created', value: (endpoint) => `${formatTime(endpoint.created_at)} UTC` },
];

function target(endpoint: EndpointRecord): string {
  const { config } = endpoint;
  if (endpoint.kind === 'anthropic') return config.base_url ?? 'https://api.anthropic.com';
  const region = config.region ?? '?';
  return config.routing_prefix ? `${region} (${config.routing_prefix}.*)` : region;
}

function authLabel(endpoint: EndpointRecord): string {
  if (endpoint.kind === 'anthropic') return endpoint.has_credentials ? 'api key' : 'none';
  return endpoint.config.auth ?? 'default';
}

function inferenceProfilesText(endpoint: EndpointRecord): string {
  return Object.entries(endpoint.config.inference_profiles ?? {})
    .map(([model, arn]) => `${model}=${arn}`)
    .join(', ');
}

/** `--inference-profile <model>=<arn>`, repeatable: collects into a map; the gateway checks the ARN. */
export function collectInferenceProfile(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  const model = value.slice(0, at).trim();
  const arn = value.slice(at + 1).trim();
  if (at <= 0 || !arn) throw new UsageError(`--inference-profile "${value}" should be <model>=<application inference profile ARN>`);
  return { ...previous, [model]: arn };
}

/** `--priority <n>`: lower goes first among equals in routing order. */
export function parsePriority(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value > 1_000_000) throw new UsageError(`--priority "${raw}" should be a whole number from 0 to 1000000`);
  return value;
}

/** The Bedrock connection flags `endpoints add bedrock` and `endpoints edit` share. */
export interface BedrockFlags {
  auth?: BedrockAuth;
  accessKeyId?: string;
  secretAccessKeyStdin?: boolean;
  sessionToken?: string;
  roleArn?: string;
  externalId?: string;
  endpointUrl?: string;
  routingPrefix?: string;
  inferenceProfile?: Record<string, string>;
  priority?: number;
}
