/**
 * `ccag endpoints edit | enable | disable | default`: changes to an endpoint that exists. An edit
 * sends only the flags given (the gateway keeps everything else, secrets included); new secrets
 * come from stdin only, so they never sit in shell history.
 */
import { Option, type Command } from 'commander';
import type { EndpointRecord, UpdateEndpointInput } from '../admin-types.js';
import { parseHttpUrl } from '../arguments.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { readSecretFromStdin } from '../prompt.js';
import { findEndpoint } from '../resolve.js';
import { collectInferenceProfile, ENDPOINT_FIELDS, parsePriority, type BedrockFlags } from './endpoint-columns.js';

interface EditOptions extends BedrockFlags {
  name?: string;
  baseUrl?: string;
  apiKeyStdin?: boolean;
  region?: string;
  removeInferenceProfile?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The PATCH body for the flags given; inference profiles merge into the endpoint's current map. */
export function editBody(endpoint: EndpointRecord, options: EditOptions, secret: { apiKey?: string; secretAccessKey?: string }): UpdateEndpointInput {
  const body: UpdateEndpointInput = {
    name: options.name,
    priority: options.priority,
    base_url: options.baseUrl,
    api_key: secret.apiKey,
    region: options.region,
    auth: options.auth,
    access_key_id: options.accessKeyId,
    secret_access_key: secret.secretAccessKey,
    session_token: options.sessionToken,
    role_arn: options.roleArn,
    external_id: options.externalId,
    endpoint_url: options.endpointUrl,
    routing_prefix: options.routingPrefix,
  };
  if (options.inferenceProfile || options.removeInferenceProfile) {
    const profiles: Record<string, string> = { ...endpoint.config.inference_profiles, ...options.inferenceProfile };
    for (const model of options.removeInferenceProfile ?? []) {
      if (!(model in profiles)) throw new UsageError(`--remove-inference-profile ${model}: endpoint ${endpoint.name} has no inference profile for that model`);
      delete profiles[model];
    }
    body.inference_profiles = profiles;
  }
  const given = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as UpdateEndpointInput;
  if (Object.keys(given).length === 0) throw new UsageError('nothing to change: give at least one option (see "ccag endpoints edit --help")');
  return given;
}

export function registerEndpointManageCommands(endpoints: Command, io: CliIo): void {
  gatewayOptions(endpoints.command('edit'))
    .description("change an endpoint's settings or credentials; what is not given stays as it is")
    .argument('<id|name>', 'endpoint id or name')
    .option('--name <name>', 'rename the endpoint')
    .option('--priority <n>', 'routing order among equals, lower first', parsePriority)
    .option('--base-url <url>', 'Anthropic: API base URL', parseHttpUrl)
    .option('--api-key-stdin', 'Anthropic: read a new API key from stdin')
    .option('--region <region>', 'Bedrock: AWS region')
    .addOption(new Option('--auth <mode>', 'Bedrock: credentials source').choices(['default', 'static', 'assume_role']))
    .option('--access-key-id <id>', 'Bedrock: AWS access key id for static auth')
    .option('--secret-access-key-stdin', 'Bedrock: read a new AWS secret access key from stdin')
    .option('--session-token <token>', 'Bedrock: AWS session token for temporary static credentials')
    .option('--role-arn <arn>', 'Bedrock: IAM role to assume')
    .option('--external-id <id>', 'Bedrock: ExternalId to pass when assuming the role')
    .option('--endpoint-url <url>', 'Bedrock: override the runtime URL (VPC endpoint, proxy)', parseHttpUrl)
    .option('--routing-prefix <prefix>', 'Bedrock: cross-region inference profile prefix')
    .option('--inference-profile <model=arn>', 'Bedrock: add or replace the application inference profile of a model; repeat for more', collectInferenceProfile)
    .option('--remove-inference-profile <model>', "Bedrock: stop using a model's application inference profile; repeat for more", collect)
    .action((reference: string, options: EditOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        if (options.apiKeyStdin && options.secretAccessKeyStdin) throw new UsageError('only one secret can come from stdin at a time');
        const endpoint = findEndpoint(await client.listEndpoints(), reference);
        const secret = {
          apiKey: options.apiKeyStdin ? await readSecretFromStdin(io, 'Anthropic API key', '--api-key-stdin') : undefined,
          secretAccessKey: options.secretAccessKeyStdin ? await readSecretFromStdin(io, 'AWS secret access key', '--secret-access-key-stdin') : undefined,
        };
        const updated = await client.updateEndpoint(endpoint.id, editBody(endpoint, options, secret));
        out.record(updated, ENDPOINT_FIELDS, `Updated endpoint ${updated.name}.`);
      }),
    );

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    gatewayOptions(endpoints.command(verb))
      .description(enabled ? 'send traffic to an endpoint again' : 'stop sending traffic to an endpoint (a disabled endpoint stops being the default)')
      .argument('<id|name>', 'endpoint id or name')
      .action((reference: string, _options: unknown, command: Command) =>
        runGatewayCommand(io, command, async ({ client, out }) => {
          const endpoint = findEndpoint(await client.listEndpoints(), reference);
          const updated = await client.updateEndpoint(endpoint.id, { enabled });
          out.record(updated, ENDPOINT_FIELDS, `${enabled ? 'Enabled' : 'Disabled'} endpoint ${updated.name}.`);
        }),
      );
  }

  gatewayOptions(endpoints.command('default'))
    .description('make an endpoint the default (the previous default stops being one)')
    .argument('<id|name>', 'endpoint id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const endpoint = findEndpoint(await client.listEndpoints(), reference);
        const updated = await client.setDefaultEndpoint(endpoint.id);
        out.record(updated, ENDPOINT_FIELDS, `${updated.name} is now the default endpoint.`);
      }),
    );
}
