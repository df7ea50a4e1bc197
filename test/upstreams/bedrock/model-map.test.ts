import { describe, expect, it } from 'vitest';
import { ApplicationProfiles, availableModels, buildCatalog, geoPrefixesFor, resolveModel, routingPrefixes, servesModel } from '../../../src/upstreams/bedrock/model-map.js';
import { displayNameFor, SEED_MODELS } from '../../../src/upstreams/bedrock/model-table.js';
import { anthropicIdFor, baseModelIdOf, stripGeoPrefix } from '../../../src/upstreams/model-names.js';

const noDiscovery = buildCatalog(undefined);
const discovered = buildCatalog([
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'global.anthropic.claude-opus-4-6-v1',
  'jp.anthropic.claude-sonnet-4-6',
  'apac.anthropic.claude-sonnet-4-6',
  'apac.anthropic.claude-sonnet-4-20250514-v1:0',
  'us.anthropic.claude-sonnet-9-v1',
  'us.amazon.nova-pro-v1:0',
]);
const us = ['us'];

describe('resolveModel', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['claude-sonnet-4-5', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['claude-opus-4-6', 'us.anthropic.claude-opus-4-6-v1'],
    ['claude-opus-4-6-20260205', 'us.anthropic.claude-opus-4-6-v1'],
    ['claude-haiku-4-5-20251001', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
    ['claude-haiku-4-5', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'],
    ['claude-sonnet-4-20250514', 'us.anthropic.claude-sonnet-4-20250514-v1:0'],
    ['claude-sonnet-4', 'us.anthropic.claude-sonnet-4-20250514-v1:0'],
    ['claude-opus-4-1', 'us.anthropic.claude-opus-4-1-20250805-v1:0'],
    ['claude-opus-4-5-20251101', 'us.anthropic.claude-opus-4-5-20251101-v1:0'],
    ['claude-3-7-sonnet-20250219', 'us.anthropic.claude-3-7-sonnet-20250219-v1:0'],
    ['claude-3-5-haiku-20241022', 'us.anthropic.claude-3-5-haiku-20241022-v1:0'],
    ['claude-opus-5-5', 'us.anthropic.claude-opus-5-5'],
    ['claude-fable-5-1', 'us.anthropic.claude-fable-5-1'],
  ])('maps %s to %s (no discovery, us)', (client, expected) => {
    expect(resolveModel(client, noDiscovery, us)?.modelId).toBe(expected);
  });

  it('never matches by prefix', () => {
    // claude-opus-4 is Opus 4 (its own snapshot), never Opus 4.1.
    expect(resolveModel('claude-opus-4', noDiscovery, us)?.modelId).toBe('us.anthropic.claude-opus-4-20250514-v1:0');
    expect(resolveModel('claude-haiku-5', noDiscovery, us)).toBeUndefined();
    expect(resolveModel('claude-sonnet-4-5-2', noDiscovery, us)).toBeUndefined();
    expect(resolveModel('claude-sonnet', noDiscovery, us)).toBeUndefined();
    expect(resolveModel('claude-opus-4-6-v1', noDiscovery, us)).toBeUndefined();
    expect(resolveModel('gpt-4o', noDiscovery, us)).toBeUndefined();
  });

  it('strips [1m] and flags the long context request', () => {
    const resolved = resolveModel('claude-sonnet-4-5[1m]', noDiscovery, us);
    expect(resolved).toEqual({
      clientModel: 'claude-sonnet-4-5[1m]',
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      baseModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      pricedModel: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      longContext: true,
    });
    expect(resolveModel('us.anthropic.claude-sonnet-4-5-20250929-v1:0[1M]', noDiscovery, us)?.modelId).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it.each([
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0'],
    ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6', undefined],
    ['arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:provisioned-model/abc', undefined],
  ])('invokes %s as sent (base %s)', (client, base) => {
    const resolved = resolveModel(client, discovered, ['eu']);
    expect(resolved?.modelId).toBe(client);
    expect(resolved?.pricedModel).toBe(client);
    expect(resolved?.baseModelId).toBe(base);
    expect(baseModelIdOf(client)).toBe(base);
  });

  it.each([
    // A profile id names a model; this endpoint reaches it through its own geo, then global, then in-region.
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', noDiscovery, ['eu'], 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', noDiscovery, ['us'], 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    // Invokable here as sent: global from anywhere, or one of the endpoint's own geos.
    ['global.anthropic.claude-opus-4-6-v1', noDiscovery, ['jp', 'apac'], 'global.anthropic.claude-opus-4-6-v1'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', discovered, ['us'], 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['apac.anthropic.claude-sonnet-4-6', discovered, ['jp', 'apac'], 'apac.anthropic.claude-sonnet-4-6'],
    ['apac.anthropic.claude-sonnet-4-6', noDiscovery, ['jp', 'apac'], 'apac.anthropic.claude-sonnet-4-6'],
    // Not held by the account (discovered) or not reachable from this geo: chosen as for an Anthropic id.
    ['us.anthropic.claude-opus-4-6-v1', discovered, ['us'], 'global.anthropic.claude-opus-4-6-v1'],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', noDiscovery, ['us'], 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    // A configured routing prefix is the endpoint's only geo.
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', noDiscovery, routingPrefixes('us-east-1', 'global'), 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', noDiscovery, [], 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', discovered, ['eu'], 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['global.anthropic.claude-sonnet-4-6', discovered, ['jp', 'apac'], 'jp.anthropic.claude-sonnet-4-6'],
    ['us.anthropic.claude-mythos-5', discovered, ['us'], 'anthropic.claude-mythos-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]', noDiscovery, ['eu'], 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0'],
  ] as const)('invokes profile id %s with the endpoint geo', (client, catalog, prefixes, expected) => {
    const resolved = resolveModel(client, catalog, prefixes);
    expect(resolved?.modelId).toBe(expected);
    expect(resolved?.pricedModel).toBe(expected);
    expect(resolved?.baseModelId).toBe(stripGeoPrefix(expected));
  });

  it('keeps a bare foundation-model id in-region whatever the endpoint geo', () => {
    expect(resolveModel('anthropic.claude-sonnet-4-5-20250929-v1:0', noDiscovery, ['eu'])?.modelId).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(resolveModel('anthropic.claude-opus-4-6-v1[1m]', discovered, ['us'])).toMatchObject({ modelId: 'anthropic.claude-opus-4-6-v1', longContext: true });
  });

  it('prefers a discovered profile of the endpoint geo, then global, then the bare id', () => {
    expect(resolveModel('claude-sonnet-4-5', discovered, ['eu'])?.modelId).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(resolveModel('claude-sonnet-4-5', discovered, ['us'])?.modelId).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(resolveModel('claude-opus-4-6', discovered, ['us'])?.modelId).toBe('global.anthropic.claude-opus-4-6-v1');
    expect(resolveModel('claude-sonnet-4-6', discovered, geoPrefixesFor('ap-northeast-1'))?.modelId).toBe('jp.anthropic.claude-sonnet-4-6');
    expect(resolveModel('claude-sonnet-4', discovered, geoPrefixesFor('ap-northeast-1'))?.modelId).toBe('apac.anthropic.claude-sonnet-4-20250514-v1:0');
    expect(resolveModel('claude-mythos-5', discovered, ['us'])?.modelId).toBe('anthropic.claude-mythos-5');
  });

  it('learns models newer than the table from discovery', () => {
    expect(resolveModel('claude-sonnet-9', discovered, us)?.modelId).toBe('us.anthropic.claude-sonnet-9-v1');
    expect(resolveModel('claude-sonnet-9', noDiscovery, us)).toBeUndefined();
  });

  it('uses global when the region has no geo and nothing was discovered', () => {
    expect(resolveModel('claude-sonnet-4-5', noDiscovery, geoPrefixesFor('sa-east-1'))?.modelId).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });
});

describe('application inference profiles', () => {
  const SONNET_ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/sonnet45team';
  const OPUS_ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/opus4team';

  it.each([
    // Configured without date: every name of the model, dated or not, Anthropic or Bedrock, uses it.
    [{ 'claude-sonnet-4-5': SONNET_ARN }, 'claude-sonnet-4-5'],
    [{ 'claude-sonnet-4-5': SONNET_ARN }, 'claude-sonnet-4-5-20250929'],
    [{ 'claude-sonnet-4-5': SONNET_ARN }, 'claude-sonnet-4-5[1m]'],
    [{ 'claude-sonnet-4-5': SONNET_ARN }, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    [{ 'claude-sonnet-4-5': SONNET_ARN }, 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
    // Configured with date: the undated name resolves to that snapshot.
    [{ 'claude-sonnet-4-5-20250929': SONNET_ARN }, 'claude-sonnet-4-5'],
  ])('%j: %s invokes the ARN, priced and counted as the model', (configured, client) => {
    const resolved = resolveModel(client, noDiscovery, us, new ApplicationProfiles(configured));
    expect(resolved?.modelId).toBe(SONNET_ARN);
    expect(resolved?.pricedModel).toBe(client.startsWith('anthropic.') ? 'anthropic.claude-sonnet-4-5-20250929-v1:0' : 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(resolved?.baseModelId).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('never applies a profile to another model by prefix', () => {
    const applications = new ApplicationProfiles({ 'claude-opus-4': OPUS_ARN });
    expect(resolveModel('claude-opus-4-1', noDiscovery, us, applications)?.modelId).toBe('us.anthropic.claude-opus-4-1-20250805-v1:0');
    expect(resolveModel('claude-opus-4', noDiscovery, us, applications)?.modelId).toBe(OPUS_ARN);
    expect(resolveModel('claude-sonnet-4', noDiscovery, us, new ApplicationProfiles({ 'claude-sonnet-4-5': SONNET_ARN }))?.modelId).toBe('us.anthropic.claude-sonnet-4-20250514-v1:0');
  });

  it('knows the model behind a configured ARN the client sends itself', () => {
    const applications = new ApplicationProfiles({ 'claude-sonnet-4-5': SONNET_ARN });
    expect(resolveModel(SONNET_ARN, discovered, ['eu'], applications)).toEqual({
      clientModel: SONNET_ARN,
      modelId: SONNET_ARN,
      baseModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      pricedModel: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      longContext: false,
    });
    expect(resolveModel(OPUS_ARN, discovered, ['eu'], applications)).toMatchObject({ modelId: OPUS_ARN, baseModelId: undefined, pricedModel: OPUS_ARN });
  });
});

describe('servesModel', () => {
  const opusOnly41 = buildCatalog(['us.anthropic.claude-opus-4-1-20250805-v1:0']);
  const APP_ARN = 'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/team';

  it.each([
    // Before discovery answers: the table decides.
    ['claude-sonnet-4-5', noDiscovery, true],
    ['claude-sonnet-4-5-20250929', noDiscovery, true],
    ['claude-sonnet-4-5[1m]', noDiscovery, true],
    ['claude-3-7-sonnet-20250219', noDiscovery, true],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', noDiscovery, true],
    ['anthropic.claude-haiku-4-5-20251001-v1:0', noDiscovery, true],
    ['claude-sonnet-9', noDiscovery, false],
    ['us.anthropic.claude-sonnet-9-v1', noDiscovery, false],
    ['claude-haiku-5', noDiscovery, false],
    ['gpt-4o', noDiscovery, false],
    ['', noDiscovery, false],
    // Once discovery answered: only models the account has a profile for.
    ['claude-sonnet-4-5', discovered, true],
    ['claude-sonnet-4-5[1m]', discovered, true],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', discovered, true],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', discovered, true],
    ['claude-sonnet-9', discovered, true],
    ['us.anthropic.claude-sonnet-9-v1', discovered, true],
    ['claude-3-7-sonnet-20250219', discovered, false],
    ['claude-mythos-5', discovered, false],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', discovered, false],
    ['us.amazon.nova-pro-v1:0', discovered, false],
    // claude-opus-4 is its own model, not a prefix of claude-opus-4-1.
    ['claude-opus-4-1', opusOnly41, true],
    ['claude-opus-4', opusOnly41, false],
    ['claude-opus-4-20250514', opusOnly41, false],
  ] as const)('%s → %s', (model, catalog, expected) => {
    expect(servesModel(model, catalog, 'us-east-1')).toBe(expected);
  });

  it('serves an ARN of its own region, or one of its configured application profiles', () => {
    const applications = new ApplicationProfiles({ 'claude-sonnet-4-5': APP_ARN });
    const serves = (model: string) => servesModel(model, discovered, 'us-east-1', applications);
    expect(serves('arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(true);
    expect(serves('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/other')).toBe(true);
    expect(serves('arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0')).toBe(false);
    expect(serves('arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/other')).toBe(false);
    expect(serves(APP_ARN)).toBe(true);
    expect(serves(`${APP_ARN}[1m]`)).toBe(true);
  });

  it('serves a model the operator configured an application profile for, even without a system profile', () => {
    const applications = new ApplicationProfiles({ 'claude-opus-4-1': APP_ARN });
    expect(servesModel('claude-opus-4-1', discovered, 'us-east-1')).toBe(false);
    expect(servesModel('claude-opus-4-1-20250805', discovered, 'us-east-1', applications)).toBe(true);
    expect(servesModel('claude-opus-4', discovered, 'us-east-1', applications)).toBe(false);
  });
});

describe('routing prefixes', () => {
  it.each([
    ['us-east-1', ['us']],
    ['us-west-2', ['us']],
    ['ca-central-1', ['us']],
    ['us-gov-west-1', ['us-gov']],
    ['eu-central-1', ['eu']],
    ['eu-west-3', ['eu']],
    ['ap-northeast-1', ['jp', 'apac']],
    ['ap-southeast-2', ['au', 'apac']],
    ['ap-south-1', ['apac']],
    ['ap-southeast-1', ['apac']],
    ['sa-east-1', []],
    ['me-central-1', []],
  ])('%s → %j', (region, expected) => {
    expect(geoPrefixesFor(region)).toEqual(expected);
  });

  it('lets the endpoint configuration override the region', () => {
    expect(routingPrefixes('us-east-1', 'global')).toEqual(['global']);
    expect(routingPrefixes('eu-west-1', 'us.')).toEqual(['us']);
    expect(routingPrefixes('eu-west-1', undefined)).toEqual(['eu']);
    expect(resolveModel('claude-sonnet-4-5', noDiscovery, routingPrefixes('us-east-1', 'global'))?.modelId).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });
});

describe('model listing', () => {
  it('lists only models with a discovered profile, newest first, with Anthropic names', () => {
    expect(availableModels(discovered)).toEqual([
      { id: 'claude-sonnet-9', display_name: 'Claude Sonnet 9', type: 'model', created_at: '2025-01-01T00:00:00Z' },
      { id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', type: 'model', created_at: '2025-01-01T00:00:00Z' },
      { id: 'claude-opus-4-6', display_name: 'Claude Opus 4.6', type: 'model', created_at: '2025-01-01T00:00:00Z' },
      { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', type: 'model', created_at: '2025-09-29T00:00:00Z' },
      { id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', type: 'model', created_at: '2025-05-14T00:00:00Z' },
    ]);
  });

  it('lists the whole table when discovery has not succeeded', () => {
    const ids = availableModels(noDiscovery).map((m) => m.id);
    expect(ids).toContain('claude-3-5-haiku-20241022');
    expect(ids).toContain('claude-opus-4-6');
    expect(ids.at(-1)).toBe('claude-3-5-haiku-20241022');
  });

  it.each([
    ['claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5'],
    ['claude-3-7-sonnet-20250219', 'Claude Sonnet 3.7'],
    ['claude-3-5-haiku-20241022', 'Claude Haiku 3.5'],
    ['claude-opus-4-1-20250805', 'Claude Opus 4.1'],
    ['claude-mythos-preview', 'Claude Mythos Preview'],
    ['claude-opus-5', 'Claude Opus 5'],
  ])('names %s "%s"', (id, name) => {
    expect(displayNameFor(id)).toBe(name);
  });

  it.each([
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
    ['anthropic.claude-opus-4-6-v1', 'claude-opus-4-6'],
    ['anthropic.claude-sonnet-4-6', 'claude-sonnet-4-6'],
    ['amazon.nova-pro-v1:0', undefined],
  ])('derives the Anthropic id of %s', (bedrockId, anthropicId) => {
    expect(anthropicIdFor(bedrockId)).toBe(anthropicId);
  });

  it('derives every Anthropic id of the model table from its Bedrock id', () => {
    // The Anthropic upstream maps Bedrock names back by derivation; a table row breaking it would misroute.
    for (const [anthropicId, bedrockId] of Object.entries(SEED_MODELS)) expect(anthropicIdFor(bedrockId)).toBe(anthropicId);
  });
});
