/**
 * `ccag pricing list | set | refresh`: the per-model prices (USD per million tokens) the spend
 * ledger uses. Rows match models by prefix. `set` changes the prices it is given and keeps the
 * row's others; `refresh` pulls Bedrock prices from the AWS Price List, keeping manual rows.
 */
import type { Command } from 'commander';
import type { PricingRefreshResult, PricingRow, SetPricingInput } from '../admin-types.js';
import { parseTokenCount, parseUsdPerMTok } from '../arguments.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, formatUsd, type Column } from '../output.js';
import { filterPricing } from '../resolve.js';

const PRICING_COLUMNS: readonly Column<PricingRow>[] = [
  { header: 'Model prefix', value: (row) => row.model_prefix },
  { header: 'Input', value: (row) => formatUsd(row.input), align: 'right' },
  { header: 'Output', value: (row) => formatUsd(row.output), align: 'right' },
  { header: 'Cache read', value: (row) => formatUsd(row.cache_read), align: 'right' },
  { header: 'Cache write 5m', value: (row) => formatUsd(row.cache_write_5m), align: 'right' },
  { header: 'Cache write 1h', value: (row) => formatUsd(row.cache_write_1h), align: 'right' },
  { header: 'Long context', value: longContext },
  { header: 'Source', value: (row) => row.source },
  { header: 'Updated', value: (row) => formatTime(row.updated_at) },
];

const PRICING_FIELDS: readonly Column<PricingRow>[] = [
  ...PRICING_COLUMNS.filter((column) => column.header !== 'Updated'),
  { header: 'Note', value: (row) => row.note },
  { header: 'Updated', value: (row) => `${formatTime(row.updated_at)} UTC` },
];

interface ListOptions {
  model?: string;
}

interface SetOptions {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  tierThreshold?: number;
  tierInput?: number;
  tierOutput?: number;
  tierCacheRead?: number;
  tierCacheWrite5m?: number;
  tierCacheWrite1h?: number;
  note?: string;
}

export function registerPricingCommands(program: Command, io: CliIo): void {
  const pricing = program.command('pricing').description('show and set model prices (USD per million tokens)');

  gatewayOptions(pricing.command('list'))
    .description('list model prices, in USD per million tokens')
    .option('--model <prefix>', 'only rows for this model prefix or model id, e.g. claude-sonnet')
    .action((options: ListOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const rows = filterPricing(await client.listPricing(), options.model);
        const empty = options.model
          ? `No price matches "${options.model}". Set one with: ccag pricing set ${options.model} --input <usd> --output <usd>`
          : 'No prices yet. Set one with: ccag pricing set <model-prefix> --input <usd> --output <usd>';
        out.list(rows, PRICING_COLUMNS, empty);
      }),
    );

  gatewayOptions(pricing.command('set'))
    .description('set the prices of models whose id starts with <model-prefix>, in USD per million tokens')
    .argument('<model-prefix>', 'model id prefix, e.g. claude-sonnet-4-5')
    .requiredOption('--input <usd>', 'input tokens', parseUsdPerMTok)
    .requiredOption('--output <usd>', 'output tokens', parseUsdPerMTok)
    .option('--cache-read <usd>', 'cache reads', parseUsdPerMTok)
    .option('--cache-write-5m <usd>', '5-minute cache writes', parseUsdPerMTok)
    .option('--cache-write-1h <usd>', '1-hour cache writes', parseUsdPerMTok)
    .option('--tier-threshold <tokens>', 'long-context pricing applies to prompts above this many tokens (e.g. 200k)', parseTokenCount)
    .option('--tier-input <usd>', 'input tokens above the threshold', parseUsdPerMTok)
    .option('--tier-output <usd>', 'output tokens above the threshold', parseUsdPerMTok)
    .option('--tier-cache-read <usd>', 'cache reads above the threshold', parseUsdPerMTok)
    .option('--tier-cache-write-5m <usd>', '5-minute cache writes above the threshold', parseUsdPerMTok)
    .option('--tier-cache-write-1h <usd>', '1-hour cache writes above the threshold', parseUsdPerMTok)
    .option('--note <text>', 'why this price, e.g. "negotiated rate"')
    .action((modelPrefix: string, options: SetOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const body = pricingBody(options);
        const row = await client.setPricing(modelPrefix, body);
        out.record(row, PRICING_FIELDS, `Set the price of ${row.model_prefix}* (USD per million tokens).`);
      }),
    );

  gatewayOptions(pricing.command('refresh'))
    .description('pull Bedrock prices from the AWS Price List now (rows you set by hand are kept)')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const result = await client.refreshPricing();
        out.done(refreshSummary(result), result);
      }),
    );
}

export function refreshSummary(result: PricingRefreshResult): string {
  const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return (
    `Refreshed Bedrock prices for ${plural(result.models, 'model')} from the AWS Price List (${result.region}) at ${formatTime(result.fetched_at)} UTC: ` +
    `${plural(result.updated, 'row')} updated, ${result.added} added, ${plural(result.skipped_manual, 'manual row')} kept.`
  );
}

export function pricingBody(options: SetOptions): SetPricingInput {
  const tierPrices = [options.tierInput, options.tierOutput, options.tierCacheRead, options.tierCacheWrite5m, options.tierCacheWrite1h];
  if (options.tierThreshold === undefined && tierPrices.some((price) => price !== undefined)) {
    throw new UsageError('--tier-* prices need --tier-threshold, the prompt size above which they apply');
  }
  return {
    input: options.input,
    output: options.output,
    cache_read: options.cacheRead,
    cache_write_5m: options.cacheWrite5m,
    cache_write_1h: options.cacheWrite1h,
    tier_threshold: options.tierThreshold,
    tier_input: options.tierInput,
    tier_output: options.tierOutput,
    tier_cache_read: options.tierCacheRead,
    tier_cache_write_5m: options.tierCacheWrite5m,
    tier_cache_write_1h: options.tierCacheWrite1h,
    note: options.note,
  };
}

function longContext(row: PricingRow): string | null {
  if (row.tier_threshold === null || row.tier_threshold === undefined) return null;
  const threshold = row.tier_threshold >= 1000 && row.tier_threshold % 1000 === 0 ? `${row.tier_threshold / 1000}k` : String(row.tier_threshold);
  return `>${threshold}: ${formatUsd(row.tier_input)}/${formatUsd(row.tier_output)}`;
}
