/**
 * Editing an endpoint: the add form filled from the endpoint as the API shows it, with secrets
 * blank ("leave blank to keep"), plus the Bedrock application inference profiles per model; the
 * checks before sending; and the PATCH body, which carries a secret only when one was typed and
 * clears an optional setting with null. The kind cannot change. Pure: test/portal/endpoint-edit.test.ts.
 */
import type { EndpointRecord } from '../../api/types.js';
import { EMPTY_ENDPOINT_FORM, endpointFormErrors, type EndpointForm, type EndpointFormErrors } from './endpoint-form.js';

export interface ProfileRow {
  model: string;
  arn: string;
}

export interface EditForm extends EndpointForm {
  profiles: ProfileRow[];
}

export type EditFormErrors = EndpointFormErrors & { profiles?: string };

const PROFILE_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:application-inference-profile\/[A-Za-z0-9]+$/;

export function editFormOf(endpoint: EndpointRecord): EditForm {
  const { config } = endpoint;
  return {
    ...EMPTY_ENDPOINT_FORM,
    kind: endpoint.kind,
    name: endpoint.name,
    priority: String(endpoint.priority),
    isDefault: endpoint.is_default,
    baseUrl: endpoint.kind === 'anthropic' && config.base_url !== 'https://api.anthropic.com' ? (config.base_url ?? '') : '',
    region: config.region ?? '',
    routingPrefix: config.routing_prefix ?? '',
    endpointUrl: config.endpoint_url ?? '',
    auth: (config.auth as EndpointForm['auth'] | undefined) ?? 'default',
    roleArn: config.role_arn ?? '',
    profiles: Object.entries(config.inference_profiles ?? {}).map(([model, arn]) => ({ model, arn })),
  };
}

/** Whether the endpoint already holds the secrets this auth method needs, so blank fields keep them. */
function keepsSecrets(form: EditForm, endpoint: EndpointRecord): boolean {
  if (!endpoint.has_credentials) return false;
  return endpoint.kind === 'anthropic' || form.auth === endpoint.config.auth;
}

export function editFormErrors(form: EditForm, endpoint: EndpointRecord): EditFormErrors {
  const errors: EditFormErrors = endpointFormErrors(form);
  if (keepsSecrets(form, endpoint)) {
    delete errors.apiKey;
    // Both keys or neither: one alone would pair a new id with the old secret.
    if (!form.accessKeyId.trim() && !form.secretAccessKey.trim()) {
      delete errors.accessKeyId;
      delete errors.secretAccessKey;
    }
  }
  const models = new Set<string>();
  for (const { model, arn } of form.profiles) {
    const name = model.trim();
    if (!name && !arn.trim()) continue;
    if (!name) errors.profiles = 'Each inference profile needs the model it serves.';
    else if (models.has(name)) errors.profiles = `${name} has two inference profiles; keep one.`;
    else if (!PROFILE_ARN.test(arn.trim())) errors.profiles = `The profile for ${name} is not an application inference profile ARN (arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>).`;
    models.add(name);
  }
  return errors;
}

export type EndpointPatch = Record<string, string | number | boolean | null | Record<string, string>>;

/** The PATCH body: what the form holds, secrets only when typed, an emptied optional setting as null. */
export function endpointPatchBody(form: EditForm, endpoint: EndpointRecord): EndpointPatch {
  const text = (value: string, before: string | undefined) => (value.trim() ? value.trim() : before ? null : undefined);
  const body: Record<string, EndpointPatch[string] | undefined> = { name: form.name.trim(), priority: Number(form.priority) };
  const { config } = endpoint;
  if (endpoint.kind === 'anthropic') {
    body.base_url = text(form.baseUrl, config.base_url !== 'https://api.anthropic.com' ? config.base_url : undefined);
    if (form.apiKey.trim()) body.api_key = form.apiKey.trim();
  } else {
    Object.assign(body, {
      region: form.region.trim(),
      routing_prefix: text(form.routingPrefix, config.routing_prefix),
      endpoint_url: text(form.endpointUrl, config.endpoint_url),
      auth: form.auth,
      inference_profiles: Object.fromEntries(form.profiles.filter((row) => row.model.trim()).map((row) => [row.model.trim(), row.arn.trim()])),
    });
    if (form.auth === 'static' && form.accessKeyId.trim()) Object.assign(body, { access_key_id: form.accessKeyId.trim(), secret_access_key: form.secretAccessKey.trim() });
    if (form.auth === 'static' && form.sessionToken.trim()) body.session_token = form.sessionToken.trim();
    if (form.auth === 'assume_role') {
      body.role_arn = form.roleArn.trim();
      if (form.externalId.trim()) body.external_id = form.externalId.trim();
    }
  }
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as EndpointPatch;
}
