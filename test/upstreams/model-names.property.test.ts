/**
 * Model-name grammar and Bedrock model mapping over generated names: every spelling of a model
 * (Anthropic id, dated or not, foundation-model id, profile id of any geo, ARN, `[1m]`) reads back
 * as the same Anthropic id; resolution picks the endpoint's own geo or global and maps back to the
 * model asked for; unknown names resolve to nothing; no string makes any of it throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog, geoPrefixesFor, resolveModel, servesModel } from '../../src/upstreams/bedrock/model-map.js';
import { SEED_MODELS } from '../../src/upstreams/bedrock/model-table.js';
import { anthropicIdOf, baseModelIdOf, isBedrockName, parseArn, splitLongContext, stripDate, stripGeoPrefix } from '../../src/upstreams/model-names.js';
import { runs } from '../support/property.js';

const date = fc.date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const undatedId = fc
  .tuple(fc.stringMatching(/^[a-z]{2,8}$/), fc.integer({ min: 1, max: 9 }), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }))
  .map(([family, major, minor]) => `claude-${family}-${major}${minor === undefined ? '' : `-${minor}`}`);
const anthropicId = fc.tuple(undatedId, fc.option(date, { nil: undefined })).map(([id, day]) => (day ? `${id}-${day}` : id));
const version = fc.constantFrom('', '-v1', '-v1:0', '-v2:1', '-v10');
const geo = fc.constantFrom('us', 'eu', 'apac', 'jp', 'au', 'global', 'us-gov');
const region = fc.oneof(
  fc.constantFrom('us-east-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-central-2', 'ap-northeast-1', 'ap-northeast-3', 'ap-southeast-2', 'ap-south-1', 'us-gov-west-1', 'sa-east-1', 'me-central-1'),
  fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-[1-4]$/),
);
const account = fc.stringMatching(/^\d{12}$/);
const longContext = fc.constantFrom('', '[1m]', '[1M]');

describe('model-name grammar, property-based', () => {
  it('every Bedrock spelling of a model reads back as its Anthropic id, with or without [1m]', () => {
    fc.assert(
      fc.property(anthropicId, version, geo, region, account, longContext, (id, suffix, prefix, where, owner, wide) => {
        const base = `anthropic.${id}${suffix}`;
        for (const name of [base, `${prefix}.${base}`, `arn:aws:bedrock:${where}:${owner}:foundation-model/${base}`, `arn:aws:bedrock:${where}:${owner}:inference-profile/${prefix}.${base}`]) {
          expect(isBedrockName(name)).toBe(true);
          expect(anthropicIdOf(`${name}${wide}`), name).toBe(id);
          expect(baseModelIdOf(name), name).toBe(base);
          expect(splitLongContext(`${name}${wide}`)).toEqual({ name, longContext: wide !== '' });
        }
        expect(parseArn(`arn:aws:bedrock:${where}:${owner}:inference-profile/${prefix}.${base}`)).toEqual({ region: where, account: owner, resource: 'inference-profile', id: `${prefix}.${base}` });
        expect(stripGeoPrefix(`${prefix}.${base}`)).toBe(base);
      }),
      runs(200),
    );
  });

  it('an application inference profile or provisioned model names no model', () => {
    fc.assert(
      fc.property(region, account, fc.constantFrom('application-inference-profile', 'provisioned-model', 'custom-model'), fc.stringMatching(/^[a-z0-9]{6,14}$/), (where, owner, resource, id) => {
        const arn = `arn:aws:bedrock:${where}:${owner}:${resource}/${id}`;
        expect(isBedrockName(arn)).toBe(true);
        expect(anthropicIdOf(arn)).toBeUndefined();
        expect(baseModelIdOf(arn)).toBeUndefined();
      }),
      runs(100),
    );
  });

  it('an Anthropic id (or any name that is not Bedrock\'s) is its own id, [1m] and outer spaces removed; dates strip once', () => {
    fc.assert(
      fc.property(anthropicId, date, longContext, (id, day, wide) => {
        expect(anthropicIdOf(` ${id}${wide} `)).toBe(id);
        expect(stripDate(`${stripDate(id)}-${day}`)).toBe(stripDate(id));
        expect(stripDate(stripDate(id))).toBe(stripDate(id));
      }),
      runs(200),
    );
  });

  it('no string makes the grammar throw, and what is not a Bedrock name passes through', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ maxLength: 40 }).map((tail) => `arn:aws:bedrock:${tail}`), fc.string({ maxLength: 40 }).map((tail) => `us.anthropic.${tail}`)), (name) => {
        const id = anthropicIdOf(name);
        if (!isBedrockName(splitLongContext(name).name)) expect(id).toBe(splitLongContext(name).name);
        stripDate(name);
        baseModelIdOf(name);
      }),
      runs(200),
    );
  });
});

/** Every id of the shipped table, dated and undated, as a client may send it. */
const SEED_IDS = Object.keys(SEED_MODELS);
const seedName = fc.constantFrom(...SEED_IDS).chain((id) => fc.constantFrom(id, stripDate(id)).map((name) => ({ id, name })));

describe('Bedrock model mapping, property-based', () => {
  const catalog = buildCatalog(undefined);

  it('a table model resolves, in any region, to its own foundation model through the endpoint geo or global', () => {
    fc.assert(
      fc.property(seedName, region, longContext, ({ id, name }, where, wide) => {
        const prefixes = geoPrefixesFor(where);
        const resolved = resolveModel(`${name}${wide}`, catalog, prefixes);
        expect(resolved?.longContext).toBe(wide !== '');
        expect(resolved?.baseModelId).toBe(SEED_MODELS[id]);
        expect(resolved?.modelId).toBe(`${prefixes[0] ?? 'global'}.${SEED_MODELS[id]}`);
        // The id invoked reads back as the model asked for: replies and prices name the right one.
        expect(anthropicIdOf(resolved!.modelId)).toBe(id);
        expect(servesModel(name, catalog, where)).toBe(true);
      }),
      runs(200),
    );
  });

  it('a client profile id is invoked as sent in its own geo or global, and re-routed through the endpoint geo otherwise', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(SEED_MODELS)), geo, region, (base, prefix, where) => {
        const prefixes = geoPrefixesFor(where);
        const resolved = resolveModel(`${prefix}.${base}`, catalog, prefixes);
        const asSent = prefix === 'global' || prefixes.includes(prefix);
        expect(resolved?.modelId).toBe(asSent ? `${prefix}.${base}` : `${prefixes[0] ?? 'global'}.${base}`);
        expect(resolved?.baseModelId).toBe(base);
      }),
      runs(200),
    );
  });

  it('a name the table does not know resolves to nothing: never the nearest or a longer model', () => {
    fc.assert(
      fc.property(fc.oneof(anthropicId, fc.tuple(fc.constantFrom(...SEED_IDS), fc.stringMatching(/^-[a-z0-9]{1,4}$/)).map(([id, tail]) => `${id}${tail}`)), region, (name, where) => {
        fc.pre(!SEED_IDS.some((id) => id === name || stripDate(id) === name || stripDate(id) === stripDate(name)));
        expect(resolveModel(name, catalog, geoPrefixesFor(where))).toBeUndefined();
        expect(servesModel(name, catalog, where)).toBe(false);
      }),
      runs(200),
    );
  });
});
