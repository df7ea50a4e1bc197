/**
 * `ccag endpoints add anthropic | add bedrock | list | remove`: the upstreams the gateway routes
 * to; `edit`, `enable`, `disable`, `default` (endpoints-manage.ts) and `validate`, `models`,
 * `quotas` (endpoints-inspect.ts) hang off the same command. Credentials go in through stdin, a
 * flag or the environment and are never printed back; the gateway only ever returns
 * `has_credentials`.
 */
import { Option, type Command } from 'commander';
import type { BedrockAuth, CreateBedrockEndpoint } from '../admin-types.js';
import { parseHttpUrl } from '../arguments.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { readSecretFromStdin } from '../prompt.js';
import { findEndpoint } from '../resolve.js';
import { collectInferenceProfile, ENDPOINT_COLUMNS, ENDPOINT_FIELDS, parsePriority, type BedrockFlags } from './endpoint-columns.js';
import { registerEndpointInspectCommands } from './endpoints-inspect.js';
import { registerEndpointManageCommands } from './endpoints-manage.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+/;
const ROUTING_PREFIX = /^[a-z][a-z-]*$/;

interface AnthropicOptions {
  name: string;
  baseUrl?: string;
  apiKey?: string;
  apiKeyStdin?: boolean;
  default?: boolean;
  priority?: number;
}

interface BedrockOptions extends BedrockFlags {
  name: string;
  region: string;
  secretAccessKey?: string;
  default?: boolean;
}

export function registerEndpointsCommands(program: Command, io: CliIo): void {
  const endpoints = program.command('endpoints').description('add, edit, test and remove upstream endpoints (Anthropic API, Amazon Bedrock)');
  const add = endpoints.command('add').description('add an endpoint');

  gatewayOptions(add.command('anthropic'))
    .description('add an Anthropic API endpoint')
    .requiredOption('--name <name>', 'a unique name, e.g. anthropic-main')
    .option('--base-url <url>', 'API base URL (default: https://api.anthropic.com)', parseHttpUrl)
    .addOption(new Option('--api-key-stdin', 'read the API key from stdin').conflicts('apiKey'))
    .option('--api-key <key>', 'the API key (visible in shell history; prefer --api-key-stdin or $ANTHROPIC_API_KEY)')
    .option('--default', 'make this the default endpoint')
    .option('--priority <n>', 'routing order among equals, lower first (default 100)', parsePriority)
    .action((options: AnthropicOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const apiKey = options.apiKeyStdin
          ? await readSecretFromStdin(io, 'Anthropic API key', '--api-key-stdin')
          : (options.apiKey ?? (io.env.ANTHROPIC_API_KEY || undefined));
        if (!apiKey) throw new UsageError('an API key is required: use --api-key-stdin, --api-key or $ANTHROPIC_API_KEY');
        const created = await client.createEndpoint({
          kind: 'anthropic',
          name: options.name,
          base_url: options.baseUrl,
          api_key: apiKey,
          is_default: options.default ? true : undefined,
          priority: options.priority,
        });
        out.record(created, ENDPOINT_FIELDS, `Added Anthropic endpoint ${created.name}.`);
      }),
    );

  gatewayOptions(add.command('bedrock'))
    .description('add an Amazon Bedrock runtime endpoint')
    .requiredOption('--name <name>', 'a unique name, e.g. bedrock-us-east-1')
    .requiredOption('--region <region>', 'AWS region, e.g. us-east-1')
    .addOption(
      new Option('--auth <mode>', 'credentials: the default AWS chain, static keys, or an assumed role (default: inferred from the other flags)').choices([
        'default',
        'static',
        'assume_role',
      ]),
    )
    .option('--access-key-id <id>', 'AWS access key id (static, or the source credentials for assume_role)')
    .addOption(new Option('--secret-access-key-stdin', 'read the AWS secret access key from stdin').conflicts('secretAccessKey'))
    .option('--secret-access-key <secret>', 'AWS secret access key (visible in shell history; prefer --secret-access-key-stdin)')
    .option('--session-token <token>', 'AWS session token for temporary static credentials')
    .option('--role-arn <arn>', 'IAM role to assume, e.g. arn:aws:iam::123456789012:role/ccag-bedrock')
    .option('--external-id <id>', 'ExternalId to pass when assuming the role')
    .option('--endpoint-url <url>', 'override the Bedrock runtime URL (VPC endpoint, proxy)', parseHttpUrl)
    .option('--routing-prefix <prefix>', 'cross-region inference profile prefix: us, eu, apac, global, ...')
    .option('--inference-profile <model=arn>', 'invoke this application inference profile for the model (cost allocation tags); repeat for more', collectInferenceProfile)
    .option('--default', 'make this the default endpoint')
    .option('--priority <n>', 'routing order among equals, lower first (default 100)', parsePriority)
    .action((options: BedrockOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const secret = options.secretAccessKeyStdin
          ? await readSecretFromStdin(io, 'AWS secret access key', '--secret-access-key-stdin')
          : options.secretAccessKey;
        const created = await client.createEndpoint(bedrockBody(options, secret));
        out.record(created, ENDPOINT_FIELDS, `Added Bedrock endpoint ${created.name}.`);
      }),
    );

  gatewayOptions(endpoints.command('list'))
    .description('list endpoints')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const all = await client.listEndpoints();
        out.list(all, ENDPOINT_COLUMNS, 'No endpoints yet. Add one with: ccag endpoints add bedrock --name <name> --region <region>  (or: ccag endpoints add anthropic --name <name> --api-key-stdin)');
      }),
    );

  gatewayOptions(endpoints.command('remove'))
    .description('remove an endpoint by id or name (refused while a team routing uses it, or while it is the default among other enabled endpoints)')
    .argument('<id|name>', 'endpoint id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const endpoint = findEndpoint(await client.listEndpoints(), reference);
        await client.deleteEndpoint(endpoint.id);
        out.done(`Removed endpoint ${endpoint.name} (${endpoint.id}).`, { id: endpoint.id, name: endpoint.name, removed: true });
      }),
    );

  registerEndpointManageCommands(endpoints, io);
  registerEndpointInspectCommands(endpoints, io);
}

/** Checks the flag combination for the chosen auth mode and builds the request body. */
export function bedrockBody(options: BedrockOptions, secretAccessKey: string | undefined): CreateBedrockEndpoint {
  const auth: BedrockAuth = options.auth ?? (options.roleArn ? 'assume_role' : options.accessKeyId ? 'static' : 'default');
  const hasStatic = options.accessKeyId !== undefined || secretAccessKey !== undefined;
  if (auth === 'static' && (!options.accessKeyId || !secretAccessKey)) {
    throw new UsageError('--auth static needs --access-key-id and --secret-access-key-stdin (or --secret-access-key)');
  }
  if (auth === 'assume_role' && !options.roleArn) throw new UsageError('--auth assume_role needs --role-arn');
  if (auth === 'default' && (hasStatic || options.sessionToken || options.roleArn)) {
    throw new UsageError('--auth default uses the AWS credential chain of the gateway; drop the key and role flags or choose --auth static or assume_role');
  }
  if (hasStatic && !(options.accessKeyId && secretAccessKey)) throw new UsageError('static AWS credentials need both --access-key-id and a secret access key');
  if (options.sessionToken && !hasStatic) throw new UsageError('--session-token goes with --access-key-id and a secret access key');
  if (options.externalId && auth !== 'assume_role') throw new UsageError('--external-id only applies to --auth assume_role');
  if (options.roleArn && !ROLE_ARN.test(options.roleArn)) throw new UsageError(`--role-arn "${options.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
  if (options.routingPrefix && !ROUTING_PREFIX.test(options.routingPrefix)) {
    throw new UsageError(`--routing-prefix "${options.routingPrefix}" should be an inference profile prefix such as us, eu, apac or global`);
  }
  return {
    kind: 'bedrock',
    name: options.name,
    region: options.region,
    auth,
    access_key_id: options.accessKeyId,
    secret_access_key: secretAccessKey,
    session_token: options.sessionToken,
    role_arn: options.roleArn,
    external_id: options.externalId,
    endpoint_url: options.endpointUrl,
    routing_prefix: options.routingPrefix,
    inference_profiles: options.inferenceProfile,
    is_default: options.default ? true : undefined,
    priority: options.priority,
  };
}
