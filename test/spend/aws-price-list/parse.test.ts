/** The Price List parser on a golden GetProducts page in the real document shape. */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { claudeModelOf } from '../../../src/spend/aws-price-list/model-names.js';
import { awsPriceRows, parsePriceList } from '../../../src/spend/aws-price-list/parse.js';
import { microsPerMTok, tokensPerUnit } from '../../../src/spend/aws-price-list/unit-price.js';
import { legacyPriceKind, marketplacePriceKind } from '../../../src/spend/aws-price-list/usage-types.js';

const PAGE = JSON.parse(readFileSync(new URL('./fixtures/get-products-us-east-1.json', import.meta.url), 'utf8')) as { PriceList: string[] };

describe('model names', () => {
  test.each([
    ['Claude Sonnet 4.5 (Amazon Bedrock Edition)', 'claude-sonnet-4-5'],
    ['Claude 4.6 Sonnet (Amazon Bedrock Edition)', 'claude-sonnet-4-6'],
    ['Claude Opus 5 (Amazon Bedrock Edition)', 'claude-opus-5'],
    ['Claude Haiku 5.5', 'claude-haiku-5-5'],
    ['Claude 3.5 Haiku (Amazon Bedrock Edition)', 'claude-3-5-haiku'],
    ['Claude 3 Haiku', 'claude-3-haiku'],
    ['Claude Mythos Preview (Amazon Bedrock Edition)', 'claude-mythos-preview'],
    ['Claude Instant', 'claude-instant'],
  ])('%s → %s', (name, id) => expect(claudeModelOf(name)).toBe(id));

  test.each(['Claude 2.0', 'Claude 2.1', 'Cohere Command R+ (Amazon Bedrock Edition)', 'Amazon Bedrock', 'Claude Sonnet 4.5 Long Context', '', undefined])(
    'leaves %s alone',
    (name) => expect(claudeModelOf(name)).toBeUndefined(),
  );
});

describe('usage types', () => {
  test.each([
    ['USE1-MP:USE1_InputTokenCount-Units', 'input', 'regional'],
    ['USE1-MP:USE1_OutputTokenCount_Global-Units', 'output', 'global'],
    ['USW2-MP:USW2_CacheReadInputTokenCount-Units', 'cache_read', 'regional'],
    ['USE1-MP:USE1_CacheWriteInputTokenCount_Global-Units', 'cache_write_5m', 'global'],
    ['USE1-MP:USE1_CacheWrite1hInputTokenCount-Units', 'cache_write_1h', 'regional'],
    ['USE1-MP:USE1_input_tokens_standard-Units', 'input', 'regional'],
    ['USE1-MP:USE1_cache_read_tokens_global_standard-Units', 'cache_read', 'global'],
    ['USE1-MP:USE1_cache_write_tokens_1h_global_standard-Units', 'cache_write_1h', 'global'],
    ['USE1-MP:USE1_cache_write_tokens_standard-Units', 'cache_write_5m', 'regional'],
  ])('%s is %s (%s)', (usagetype, tokenClass, scope) => expect(marketplacePriceKind(usagetype)).toEqual({ tokenClass, scope }));

  test.each([
    'USE1-MP:USE1_InputTokenCount_Batch-Units',
    'USE1-MP:USE1_InputTokenCount_Global_Batch-Units',
    'USE1-MP:USE1_input_tokens_flex-Units',
    'USE1-MP:USE1_output_tokens_global_priority-Units',
    'USE1-MP:USE1_input_tokens_batch-Units',
    'USE1-MP:USE1_cache_write_tokens_30m_standard-Units',
    'USE1-MP:USE1_input_tokens_1h_standard-Units',
    'USE1-MP:USE1_search_units-Units',
    'USE1-MP:USE1_ProvisionedThroughput_1MonthCommit_ModelUnits_Usage-Units',
  ])('ignores %s', (usagetype) => expect(marketplacePriceKind(usagetype)).toBeUndefined());

  test('legacy offer: on-demand input and output by inferenceType, nothing batched or cross-region', () => {
    expect(legacyPriceKind({ inferenceType: 'Input tokens', feature: 'On-demand Inference', usagetype: 'USE1-Claude3Haiku-input-tokens' })).toEqual({ tokenClass: 'input', scope: 'regional' });
    expect(legacyPriceKind({ inferenceType: 'Output tokens', usagetype: 'USE1-Claude3Haiku-output-tokens' })).toEqual({ tokenClass: 'output', scope: 'regional' });
    expect(legacyPriceKind({ inferenceType: 'Input tokens', feature: 'Batch Inference', usagetype: 'USE1-Claude3Haiku-input-tokens-batch' })).toBeUndefined();
    expect(legacyPriceKind({ inferenceType: 'Input tokens', usagetype: 'USE1-anthropic.claude-sonnet-4-5-mantle-input-tokens-standard' })).toBeUndefined();
    expect(legacyPriceKind({ inferenceType: 'Input tokens', usagetype: 'USE1-Claude3Haiku-cross-region-global-input-tokens' })).toBeUndefined();
  });
});

describe('unit prices', () => {
  test('per 1K and per 1M tokens, and "Units" read from the description', () => {
    expect(tokensPerUnit('1K tokens', '')).toBe(1_000);
    expect(tokensPerUnit('1M tokens', '')).toBe(1_000_000);
    expect(tokensPerUnit('Units', 'AWS Marketplace software usage|us-east-1|Million Input Tokens Regional')).toBe(1_000_000);
    expect(tokensPerUnit('Units', 'Model Unit Hours')).toBeUndefined();
    expect(tokensPerUnit('Hrs', 'per hour')).toBeUndefined();
  });

  test('exact micro-dollars per MTok, rounded half up', () => {
    expect(microsPerMTok('0.0080000000', 1_000)).toBe(8_000_000);
    expect(microsPerMTok('0.0002500000', 1_000)).toBe(250_000);
    expect(microsPerMTok('4.1250000000', 1_000_000)).toBe(4_125_000);
    expect(microsPerMTok('0.0000005', 1_000_000)).toBe(1);
    expect(microsPerMTok('0.0000004', 1_000_000)).toBe(0);
    expect(microsPerMTok('3', 1_000_000)).toBe(3_000_000);
    expect(microsPerMTok('-1', 1_000_000)).toBeUndefined();
    expect(microsPerMTok('1e3', 1_000_000)).toBeUndefined();
    expect(microsPerMTok(undefined, 1_000_000)).toBeUndefined();
  });
});

describe('parsePriceList on a GetProducts page', () => {
  const parsed = parsePriceList(PAGE.PriceList, 'us-east-1');

  test('prices each Claude model per scope; batch, flex, priority, provisioned, other vendors and regions are ignored', () => {
    expect([...parsed.models.keys()].sort()).toEqual(['claude-3-5-sonnet', 'claude-3-haiku', 'claude-opus-5', 'claude-sonnet-4-5', 'claude-sonnet-4-6']);
    expect(parsed.models.get('claude-sonnet-4-5')).toEqual({
      regional: { input: 3_300_000, output: 16_500_000, cache_read: 330_000, cache_write_5m: 4_125_000, cache_write_1h: 6_600_000 },
      global: { input: 3_000_000, output: 15_000_000, cache_read: 300_000, cache_write_5m: 3_750_000, cache_write_1h: 6_000_000 },
    });
    // Only global prices listed, and the flex and priority rates did not replace them.
    expect(parsed.models.get('claude-opus-5')).toEqual({ global: { input: 5_000_000, output: 25_000_000, cache_read: 500_000, cache_write_5m: 6_250_000, cache_write_1h: 10_000_000 } });
    // Prices AWS does not list are null (unknown), never zero.
    expect(parsed.models.get('claude-sonnet-4-6')?.regional).toEqual({ input: 3_300_000, output: 16_500_000, cache_read: null, cache_write_5m: null, cache_write_1h: null });
    // Legacy offer, per 1K tokens.
    expect(parsed.models.get('claude-3-5-sonnet')?.regional).toMatchObject({ input: 3_000_000, output: 15_000_000 });
    // Batch ×2, provisioned, flex, priority, Cohere ×2, eu-west-1 ×2, Claude 2.0 ×2.
    expect(parsed.ignored).toBe(11);
  });

  test('the Marketplace offer wins over the legacy one for the same model', () => {
    expect(parsed.models.get('claude-3-haiku')?.regional).toMatchObject({ input: 250_000, output: 1_250_000 });
  });

  test('another region reads only its own products', () => {
    expect(parsePriceList(PAGE.PriceList, 'eu-west-1').models.get('claude-sonnet-4-5')).toEqual({
      regional: { input: 9_990_000, output: 9_990_000, cache_read: null, cache_write_5m: null, cache_write_1h: null },
    });
  });

  test('malformed documents and a lone price are not prices', () => {
    const lone = PAGE.PriceList.find((text) => text.includes('USE1_CacheReadInputTokenCount-Units'))!;
    const result = parsePriceList(['not json', 'null', '{}', lone], 'us-east-1');
    expect(result.models.size).toBe(0);
    expect(result.ignored).toBe(3);
  });

  test('duplicate SKUs keep the lowest price whatever their order', () => {
    const input = PAGE.PriceList.filter((text) => /USE1_(Input|Output)TokenCount-Units/.test(text) && text.includes('Sonnet 4.5'));
    const dearer = input[0]!.replace('"3.3000000000"', '"4.0000000000"');
    expect(parsePriceList([dearer, ...input], 'us-east-1').models.get('claude-sonnet-4-5')?.regional?.input).toBe(3_300_000);
    expect(parsePriceList([...input, dearer], 'us-east-1').models.get('claude-sonnet-4-5')?.regional?.input).toBe(3_300_000);
  });
});

describe('awsPriceRows', () => {
  test('regional prices for the in-region id and every geo profile, global prices for global.', () => {
    const rows = awsPriceRows(parsePriceList(PAGE.PriceList, 'us-east-1'), 'us-east-1');
    const sonnet = rows.filter((row) => row.model_prefix.endsWith('anthropic.claude-sonnet-4-5')).map((row) => [row.model_prefix, row.input]);
    expect(sonnet).toEqual([
      ['anthropic.claude-sonnet-4-5', 3_300_000],
      ['apac.anthropic.claude-sonnet-4-5', 3_300_000],
      ['au.anthropic.claude-sonnet-4-5', 3_300_000],
      ['eu.anthropic.claude-sonnet-4-5', 3_300_000],
      ['global.anthropic.claude-sonnet-4-5', 3_000_000],
      ['jp.anthropic.claude-sonnet-4-5', 3_300_000],
      ['us.anthropic.claude-sonnet-4-5', 3_300_000],
    ]);
    expect(rows.find((row) => row.model_prefix === 'global.anthropic.claude-opus-5')).toEqual({
      model_prefix: 'global.anthropic.claude-opus-5', input: 5_000_000, output: 25_000_000, cache_read: 500_000, cache_write_5m: 6_250_000, cache_write_1h: 10_000_000,
      note: 'AWS Price List, us-east-1 global price',
    });
    expect(rows.some((row) => row.model_prefix === 'anthropic.claude-opus-5')).toBe(false);
    // Never a bare Anthropic API id: the Price List prices Bedrock only.
    expect(rows.every((row) => row.model_prefix.includes('anthropic.'))).toBe(true);
  });
});
