/**
 * `ccag web-search show | set | test | mine …`: web search on Bedrock (docs/web-search.md). The
 * mode and the gateway's provider for admins; `mine` is a member's own provider for per-user
 * mode. Keys come from stdin only (`--api-key-stdin`), so they never sit in shell history, and
 * are never printed: the gateway answers whether one is set.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { MyWebSearchView, WebSearchProviderBody, WebSearchTestResult, WebSearchView } from '../web-search-client.js';
import { webSearchClient } from '../web-search-client.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, formatUsd, type Column, type Output } from '../output.js';
import { readSecretFromStdin } from '../prompt.js';
// Constants with no imports: the CLI's choices cannot drift from the gateway's.
import { PROVIDER_TYPES } from '../../websearch/providers/types.js';

const MODES = ['disabled', 'global', 'per_user'] as const;

type ProviderRecord = NonNullable<WebSearchView['provider']>;

const providerFields = <T extends { provider: ProviderRecord | null }>(): Column<T>[] => [
  { header: 'Provider', value: (view) => view.provider?.type ?? '(none)' },
  { header: 'Base URL', value: (view) => (view.provider ? (view.provider.base_url ?? '(provider default)') : '') },
  { header: 'Max results', value: (view) => view.provider?.max_results },
  { header: 'API key', value: (view) => (view.provider ? (view.provider.key_set ? 'set' : 'not set') : '') },
  { header: 'Updated', value: (view) => formatTime(view.provider?.updated_at) },
];

const GATEWAY_FIELDS: readonly Column<WebSearchView>[] = [
  { header: 'Mode', value: (view) => view.mode },
  ...providerFields<WebSearchView>(),
  { header: 'Price per search (USD)', value: (view) => formatUsd(view.price_per_search_usd) },
  { header: 'Members with own provider', value: (view) => view.users_configured },
];

const MY_FIELDS: readonly Column<MyWebSearchView>[] = [{ header: 'Gateway mode', value: (view) => view.mode }, ...providerFields<MyWebSearchView>()];

const RESULT_COLUMNS: readonly Column<WebSearchTestResult['results'][number]>[] = [
  { header: 'Title', value: (hit) => hit.title },
  { header: 'URL', value: (hit) => hit.url },
];

interface ProviderOptions {
  provider?: (typeof PROVIDER_TYPES)[number];
  apiKeyStdin?: boolean;
  removeApiKey?: boolean;
  baseUrl?: string;
  maxResults?: number;
}

function wholeNumber(raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(raw);
}

/** Adds the options that describe a provider. */
function providerOptions(command: Command): Command {
  return command
    .addOption(new Option('--provider <type>', 'search provider').choices(PROVIDER_TYPES))
    .option('--api-key-stdin', 'read the provider API key from stdin (left out: the saved key is kept)')
    .option('--remove-api-key', 'remove the saved key (SearXNG and custom endpoints, whose key is optional)')
    .option('--base-url <url>', 'the provider URL (required for SearXNG and custom; others default to the public API)')
    .option('--max-results <n>', 'results per search, 1-20 (default 5)', wholeNumber);
}

async function providerBody(io: CliIo, options: ProviderOptions): Promise<WebSearchProviderBody | undefined> {
  if (!options.provider) {
    if (options.apiKeyStdin || options.removeApiKey || options.baseUrl || options.maxResults !== undefined) throw new UsageError('--provider is required with provider options');
    return undefined;
  }
  if (options.apiKeyStdin && options.removeApiKey) throw new UsageError('give --api-key-stdin or --remove-api-key, not both');
  return {
    type: options.provider,
    ...(options.apiKeyStdin ? { api_key: await readSecretFromStdin(io, 'search provider API key', '--api-key-stdin') } : {}),
    ...(options.removeApiKey ? { api_key: null } : {}),
    ...(options.baseUrl ? { base_url: options.baseUrl } : {}),
    ...(options.maxResults !== undefined ? { max_results: options.maxResults } : {}),
  };
}

function printTest(out: Output, result: WebSearchTestResult): void {
  if (out.json) return out.done('', result);
  if (!result.ok) return out.done(`The search failed after ${result.duration_ms} ms: ${result.error}`, result);
  out.done(`The search answered in ${result.duration_ms} ms with ${result.results.length} result(s):`, result);
  out.list(result.results, RESULT_COLUMNS, '(no results)');
}

export function registerWebSearchCommands(program: Command, io: CliIo): void {
  const webSearch = program.command('web-search').description('web search for Bedrock models: the mode, the search provider, tests');

  gatewayOptions(webSearch.command('show'))
    .description("show the mode and the gateway's search provider")
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => out.record(await webSearchClient(client).get(), GATEWAY_FIELDS)),
    );

  providerOptions(gatewayOptions(webSearch.command('set')))
    .description("set the mode and/or the gateway's search provider (admins)")
    .addOption(new Option('--mode <mode>', 'disabled, global (one provider for everyone) or per_user (each member their own)').choices(MODES))
    .option('--remove-provider', "remove the gateway's provider")
    .action((options: ProviderOptions & { mode?: (typeof MODES)[number]; removeProvider?: boolean }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        if (options.removeProvider && options.provider) throw new UsageError('give --provider or --remove-provider, not both');
        const provider = options.removeProvider ? null : await providerBody(io, options);
        if (!options.mode && provider === undefined) throw new UsageError('nothing to change: give --mode, --provider or --remove-provider');
        const view = await webSearchClient(client).update({ ...(options.mode ? { mode: options.mode } : {}), ...(provider !== undefined ? { provider } : {}) });
        out.record(view, GATEWAY_FIELDS, 'Saved the web search settings.');
      }),
    );

  providerOptions(gatewayOptions(webSearch.command('test')))
    .description("run a test search through the gateway's provider, or through the one described by the options (not saved)")
    .option('--query <text>', 'what to search for (default "Claude Code")')
    .action((options: ProviderOptions & { query?: string }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const provider = await providerBody(io, options);
        printTest(out, await webSearchClient(client).test({ ...(provider ? { provider } : {}), ...(options.query ? { query: options.query } : {}) }));
      }),
    );

  const mine = webSearch.command('mine').description('your own search provider, used when the mode is per_user');
  gatewayOptions(mine.command('show'))
    .description('show your own search provider')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => out.record(await webSearchClient(client).mine(), MY_FIELDS)),
    );
  providerOptions(gatewayOptions(mine.command('set')))
    .description('set your own search provider')
    .action((options: ProviderOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const provider = await providerBody(io, options);
        if (!provider) throw new UsageError('--provider is required');
        out.record(await webSearchClient(client).setMine(provider), MY_FIELDS, 'Saved your search provider.');
      }),
    );
  gatewayOptions(mine.command('remove'))
    .description('remove your own search provider')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => out.done('Removed your search provider.', await webSearchClient(client).removeMine())),
    );
  gatewayOptions(mine.command('test'))
    .description('run a test search through your own provider')
    .option('--query <text>', 'what to search for (default "Claude Code")')
    .action((options: { query?: string }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => printTest(out, await webSearchClient(client).testMine(options.query ? { query: options.query } : {}))),
    );
}
