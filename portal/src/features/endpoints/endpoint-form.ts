/**
 * The add-endpoint form as data: its fields, the checks made before sending (the same rules the
 * API applies, so most mistakes are caught at the field), and the POST /admin/endpoints body it
 * becomes, with only the fields the chosen kind and credentials use. Pure:
 * test/portal/endpoint-form.test.ts.
 */
import type { BedrockAuth, CreateEndpointInput } from '../../api/types.js';

export interface EndpointForm {
  kind: 'bedrock' | 'anthropic';
  name: string;
  priority: string;
  isDefault: boolean;
  apiKey: string;
  baseUrl: string;
  region: string;
  routingPrefix: string;
  endpointUrl: string;
  auth: BedrockAuth;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleArn: string;
  externalId: string;
}

export const EMPTY_ENDPOINT_FORM: EndpointForm = {
  kind: 'bedrock',
  name: '',
  priority: '100',
  isDefault: false,
  apiKey: '',
  baseUrl: '',
  region: '',
  routingPrefix: '',
  endpointUrl: '',
  auth: 'default',
  accessKeyId: '',
  secretAccessKey: '',
  sessionToken: '',
  roleArn: '',
  externalId: '',
};

export type EndpointFormErrors = Partial<Record<keyof EndpointForm, string>>;

export const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ROUTING_PREFIX = /^[a-z]+(-[a-z]+)?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+/;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function endpointFormErrors(form: EndpointForm): EndpointFormErrors {
  const errors: EndpointFormErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = 'Give the endpoint a name.';
  else if (name.length > 100) errors.name = 'At most 100 characters.';
  const priority = Number(form.priority);
  if (form.priority.trim() === '' || !Number.isInteger(priority) || priority < 0 || priority > 1_000_000) errors.priority = 'A whole number from 0 to 1,000,000.';
  if (form.kind === 'anthropic') {
    if (!form.apiKey.trim()) errors.apiKey = 'The Anthropic API key is required.';
    if (form.baseUrl.trim() && !isHttpUrl(form.baseUrl.trim())) errors.baseUrl = 'A URL such as https://api.anthropic.com.';
    return errors;
  }
  if (!REGION.test(form.region.trim())) errors.region = 'An AWS region such as us-east-1.';
  if (form.routingPrefix.trim() && !ROUTING_PREFIX.test(form.routingPrefix.trim())) errors.routingPrefix = 'An inference profile prefix such as us, eu, apac, global or us-gov.';
  if (form.endpointUrl.trim() && !isHttpUrl(form.endpointUrl.trim())) errors.endpointUrl = 'A URL such as https://vpce-….bedrock-runtime.us-east-1.vpce.amazonaws.com.';
  if (form.auth === 'static') {
    if (!form.accessKeyId.trim()) errors.accessKeyId = 'Static keys need the access key id.';
    if (!form.secretAccessKey.trim()) errors.secretAccessKey = 'Static keys need the secret access key.';
  }
  if (form.auth === 'assume_role' && !ROLE_ARN.test(form.roleArn.trim())) errors.roleArn = 'A role ARN such as arn:aws:iam::123456789012:role/ccag.';
  return errors;
}

/** The request body for a valid form; empty optional fields are left out rather than sent blank. */
export function endpointBody(form: EndpointForm): CreateEndpointInput {
  const text = (value: string) => value.trim() || undefined;
  const common = { name: form.name.trim(), priority: Number(form.priority), ...(form.isDefault ? { is_default: true } : {}) };
  if (form.kind === 'anthropic') {
    return { kind: 'anthropic', ...common, api_key: form.apiKey.trim(), base_url: text(form.baseUrl) };
  }
  return {
    kind: 'bedrock',
    ...common,
    region: form.region.trim(),
    routing_prefix: text(form.routingPrefix),
    endpoint_url: text(form.endpointUrl),
    auth: form.auth,
    // Credentials of another method are never sent, even if typed before switching.
    ...(form.auth === 'static' ? { access_key_id: form.accessKeyId.trim(), secret_access_key: form.secretAccessKey.trim(), session_token: text(form.sessionToken) } : {}),
    ...(form.auth === 'assume_role' ? { role_arn: form.roleArn.trim(), external_id: text(form.externalId) } : {}),
  };
}
