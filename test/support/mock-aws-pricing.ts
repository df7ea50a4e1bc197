/**
 * A mock AWS Price List Query API on a real `node:http` server, speaking its wire protocol (AWS
 * JSON 1.1) so the AWS SDK's PricingClient talks to it unchanged:
 *
 *   POST /   x-amz-target: AWSPriceListService.GetProducts
 *            {"ServiceCode","Filters":[{"Type","Field","Value"}],"FormatVersion","MaxResults","NextToken"}
 *   → 200    {"FormatVersion":"aws_v1","PriceList":["<product JSON>", …],"NextToken"?}
 *
 * Products are filtered by service code and by TERM_MATCH / EQUALS / CONTAINS on product
 * attributes, and paged with NextToken (at most `pageSize` per page, so tests see pagination).
 * `failWith` answers every call with an AWS JSON error (e.g. 403 AccessDeniedException).
 * SigV4 is not verified; `hasAuthorization` records its presence.
 *
 * The product builders below produce documents in the real shape (see the findings in
 * src/spend/aws-price-list/client.ts and docs/spend.md), and PRODUCTS_US_EAST_1 is a small
 * realistic catalogue: the Marketplace offer in both usagetype spellings, batch and flex rates
 * the gateway must ignore, legacy Claude in the AmazonBedrock offer, another vendor's model and
 * another region's product.
 */
import { afterAll, beforeAll, vi } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PricingRequest {
  target: string | undefined;
  hasAuthorization: boolean;
  body: { ServiceCode?: string; Filters?: { Type: string; Field: string; Value: string }[]; MaxResults?: number; NextToken?: string };
}

export interface MockAwsPricing {
  url: string;
  requests: PricingRequest[];
  /** Replaces the catalogue (documents as JSON strings). */
  setProducts(products: readonly string[]): void;
  /** Every call fails with this AWS error until cleared with undefined. */
  failWith(error: { status: number; type: string; message: string } | undefined): void;
  close(): Promise<void>;
}

interface Document {
  serviceCode: string;
  product: { attributes: Record<string, string> };
}

function matches(document: Document, filter: { Type: string; Field: string; Value: string }): boolean {
  const value = filter.Field.toLowerCase() === 'servicecode' ? document.serviceCode : document.product.attributes[filter.Field];
  if (value === undefined) return false;
  if (filter.Type === 'CONTAINS') return value.includes(filter.Value);
  return value === filter.Value;
}

export async function startMockAwsPricing(options: { products?: readonly string[]; pageSize?: number } = {}): Promise<MockAwsPricing> {
  let products = [...(options.products ?? PRODUCTS_US_EAST_1)];
  let failure: { status: number; type: string; message: string } | undefined;
  const requests: PricingRequest[] = [];
  const pageSize = options.pageSize ?? 7;

  const reply = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${requests.length}`, ...headers });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const target = request.headers['x-amz-target'] as string | undefined;
      const body = (raw ? JSON.parse(raw) : {}) as PricingRequest['body'];
      requests.push({ target, hasAuthorization: typeof request.headers.authorization === 'string', body });
      if (failure) return reply(response, failure.status, { __type: failure.type, message: failure.message }, { 'x-amzn-errortype': failure.type });
      if (request.method !== 'POST' || target !== 'AWSPriceListService.GetProducts') {
        return reply(response, 400, { __type: 'UnknownOperationException', message: `unsupported: ${target}` });
      }
      const selected = products.filter((text) => {
        const document = JSON.parse(text) as Document;
        return document.serviceCode === body.ServiceCode && (body.Filters ?? []).every((filter) => matches(document, filter));
      });
      const offset = body.NextToken ? Number(body.NextToken) : 0;
      const size = Math.min(body.MaxResults ?? 100, pageSize);
      const page = selected.slice(offset, offset + size);
      const next = offset + size < selected.length ? String(offset + size) : undefined;
      reply(response, 200, { FormatVersion: 'aws_v1', PriceList: page, ...(next ? { NextToken: next } : {}) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setProducts(next) {
      products = [...next];
    },
    failWith(error) {
      failure = error;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------
// Product documents in the real GetProducts shape.

const LOCATIONS: Record<string, string> = { 'us-east-1': 'US East (N. Virginia)', 'eu-west-1': 'EU (Ireland)' };
const USAGE_PREFIX: Record<string, string> = { 'us-east-1': 'USE1', 'eu-west-1': 'EU' };
let skuCounter = 0;

function sku(): string {
  skuCounter++;
  return `SKU${String(skuCounter).padStart(13, '0')}`;
}

function onDemand(id: string, dimension: { unit: string; description: string; usd: string }) {
  return {
    [`${id}.JRTCKXETXF`]: {
      priceDimensions: {
        [`${id}.JRTCKXETXF.6YS6EN2CT7`]: {
          unit: dimension.unit,
          endRange: 'Inf',
          description: dimension.description,
          appliesTo: [],
          rateCode: `${id}.JRTCKXETXF.6YS6EN2CT7`,
          beginRange: '0',
          pricePerUnit: { USD: dimension.usd },
        },
      },
      sku: id,
      effectiveDate: '2026-09-01T00:00:00Z',
      offerTermCode: 'JRTCKXETXF',
      termAttributes: {},
    },
  };
}

/**
 * A Marketplace (`AmazonBedrockFoundationModels`) product: named by `servicename`, priced per
 * million tokens either as unit "Units" with the quantity in the description (the default) or
 * as unit "1M tokens".
 */
export function marketplaceProduct(product: { servicename: string; usage: string; usd: string; region?: string; unit?: 'Units' | '1M tokens'; what?: string }): string {
  const region = product.region ?? 'us-east-1';
  const prefix = USAGE_PREFIX[region]!;
  const id = sku();
  const unit = product.unit ?? 'Units';
  const description = unit === 'Units'
    ? `AWS Marketplace software usage|${region}|${product.what ?? 'Million Tokens'}`
    : `$${product.usd} per 1M tokens for ${product.usage} in ${LOCATIONS[region]}`;
  return JSON.stringify({
    product: {
      productFamily: 'Machine Learning',
      attributes: {
        regionCode: region,
        servicecode: 'AmazonBedrockFoundationModels',
        usagetype: `${prefix}-MP:${prefix}_${product.usage}-Units`,
        locationType: 'AWS Region',
        location: LOCATIONS[region]!,
        servicename: product.servicename,
        operation: 'Usage',
      },
      sku: id,
    },
    serviceCode: 'AmazonBedrockFoundationModels',
    terms: { OnDemand: onDemand(id, { unit, description, usd: product.usd }) },
    version: '20260929180000',
    publicationDate: '2026-09-29T18:00:00Z',
  });
}

/** An `AmazonBedrock` product (legacy Claude): provider and model attributes, priced per 1K tokens. */
export function legacyProduct(product: { model: string; inferenceType: string; usage: string; usd: string; feature?: string }): string {
  const id = sku();
  return JSON.stringify({
    product: {
      productFamily: 'Amazon Bedrock',
      attributes: {
        regionCode: 'us-east-1',
        inferenceType: product.inferenceType,
        servicecode: 'AmazonBedrock',
        feature: product.feature ?? 'On-demand Inference',
        provider: 'Anthropic',
        usagetype: `USE1-${product.usage}`,
        locationType: 'AWS Region',
        location: 'US East (N. Virginia)',
        model: product.model,
        servicename: 'Amazon Bedrock',
        operation: '',
      },
      sku: id,
    },
    serviceCode: 'AmazonBedrock',
    terms: { OnDemand: onDemand(id, { unit: '1K tokens', description: `$${product.usd} per 1K tokens for ${product.usage} in US East (N. Virginia)`, usd: product.usd }) },
    version: '20260929180000',
    publicationDate: '2026-09-29T18:00:00Z',
  });
}

/** Input, output, cache read, 5-minute and 1-hour cache write, as AWS writes the amounts. */
export type FivePrices = readonly [string, string, string, string, string];

const CAMEL = ['InputTokenCount', 'OutputTokenCount', 'CacheReadInputTokenCount', 'CacheWriteInputTokenCount', 'CacheWrite1hInputTokenCount'];
const SNAKE = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cache_write_tokens_1h'];
const WHAT = ['Input Tokens', 'Response Tokens', 'Cache Read Input Tokens', 'Cache Write Input Tokens', 'Cache Write 1h Input Tokens'];

/**
 * One Claude model's regional and global prices in the Marketplace offer: the CamelCase
 * usagetypes (Claude ≤ 4.6) with unit "Units", or the snake_case ones (newer models) with unit
 * "1M tokens".
 */
export function claudeMarketplaceProducts(servicename: string, spelling: 'camel' | 'snake', regional: FivePrices, global: FivePrices, region = 'us-east-1'): string[] {
  return [regional, global].flatMap((prices, g) =>
    prices.map((usd, i) =>
      spelling === 'camel'
        ? marketplaceProduct({ servicename, region, usd, usage: `${CAMEL[i]}${g ? '_Global' : ''}`, what: `Million ${WHAT[i]} ${g ? 'Global' : 'Regional'}` })
        : marketplaceProduct({ servicename, region, usd, unit: '1M tokens', usage: `${SNAKE[i]}${g ? '_global' : ''}_standard` }),
    ),
  );
}

/** What the mock serves unless told otherwise. */
export const PRODUCTS_US_EAST_1: readonly string[] = [
  ...claudeMarketplaceProducts('Claude Sonnet 4.5 (Amazon Bedrock Edition)', 'camel',
    ['3.3000000000', '16.5000000000', '0.3300000000', '4.1250000000', '6.6000000000'],
    ['3.0000000000', '15.0000000000', '0.3000000000', '3.7500000000', '6.0000000000']),
  // Batch is half price: it must never become the on-demand price.
  marketplaceProduct({ servicename: 'Claude Sonnet 4.5 (Amazon Bedrock Edition)', usage: 'InputTokenCount_Batch', usd: '1.6500000000', what: 'Million Input Tokens Batch' }),
  ...claudeMarketplaceProducts('Claude Opus 5 (Amazon Bedrock Edition)', 'snake',
    ['5.5000000000', '27.5000000000', '0.5500000000', '6.8750000000', '11.0000000000'],
    ['5.0000000000', '25.0000000000', '0.5000000000', '6.2500000000', '10.0000000000']),
  marketplaceProduct({ servicename: 'Claude Opus 5 (Amazon Bedrock Edition)', usage: 'input_tokens_flex', usd: '2.7500000000', unit: '1M tokens' }),
  marketplaceProduct({ servicename: 'Claude Opus 5 (Amazon Bedrock Edition)', usage: 'input_tokens_global_priority', usd: '8.7500000000', unit: '1M tokens' }),
  // Haiku 4.5: AWS lists no regional 1-hour write (the facts say "not found"), so that price stays as it was.
  ...claudeMarketplaceProducts('Claude Haiku 4.5 (Amazon Bedrock Edition)', 'camel',
    ['1.1000000000', '5.5000000000', '0.1100000000', '1.3750000000', '2.2000000000'],
    ['1.0000000000', '5.0000000000', '0.1000000000', '1.2500000000', '2.0000000000']).filter((text) => !text.includes('USE1_CacheWrite1hInputTokenCount-Units')),
  marketplaceProduct({ servicename: 'Cohere Command R+ (Amazon Bedrock Edition)', usage: 'InputTokenCount', usd: '2.5000000000', what: 'Million Input Tokens' }),
  // Another region's product, as an unfiltered answer would include.
  marketplaceProduct({ servicename: 'Claude Sonnet 4.5 (Amazon Bedrock Edition)', region: 'eu-west-1', usage: 'InputTokenCount', usd: '9.9900000000', what: 'Million Input Tokens Regional' }),
  legacyProduct({ model: 'Claude 3 Haiku', inferenceType: 'Input tokens', usage: 'Claude3Haiku-input-tokens', usd: '0.0002500000' }),
  legacyProduct({ model: 'Claude 3 Haiku', inferenceType: 'Output tokens', usage: 'Claude3Haiku-output-tokens', usd: '0.0012500000' }),
  legacyProduct({ model: 'Claude 3 Haiku', inferenceType: 'Input tokens', usage: 'Claude3Haiku-input-tokens-batch', usd: '0.0001250000', feature: 'Batch Inference' }),
  legacyProduct({ model: 'Claude 2.0', inferenceType: 'Input tokens', usage: 'Claude2.0-input-tokens', usd: '0.0080000000' }),
];

/**
 * A mock Price List for the whole test file, with the fake AWS keys the SDK's default credential
 * chain reads (as it would a Bedrock endpoint's), stubbed for the file and restored after it.
 */
export function useMockAwsPricing(): () => MockAwsPricing {
  let mock: MockAwsPricing | undefined;
  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    mock = await startMockAwsPricing();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await mock?.close();
  });
  return () => mock!;
}
