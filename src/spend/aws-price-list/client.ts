/**
 * The AWS Price List Query API (`pricing:GetProducts`) for Claude on Bedrock: both offers that
 * hold Claude prices, one region, every page. Credentials come from the AWS default chain (as for
 * a Bedrock endpoint with default auth: environment, profile, instance or task role).
 *
 * Where the prices are (read 2026-10): current Claude models are sold through AWS Marketplace and
 * priced in the `AmazonBedrockFoundationModels` offer, named only by `servicename`; the
 * `AmazonBedrock` offer keeps legacy Claude models with `provider: "Anthropic"`.
 */
import type { Filter, PricingClient } from '@aws-sdk/client-pricing';
import { LEGACY_SERVICE_CODE, MARKETPLACE_SERVICE_CODE } from './parse.js';

/** The Query API is served from us-east-1 (also eu-central-1 and ap-south-1) whatever region is priced. */
const API_REGION = 'us-east-1';
const PAGE_SIZE = 100;
/** A NextToken that never ends (a broken proxy) must not loop forever: ~10k products is far above Claude's. */
const MAX_PAGES = 100;

export interface PriceListSource {
  /** The region whose prices are read, e.g. us-east-1. */
  readonly region: string;
  /** Where requests go: the override, else AWS's own endpoint. For error messages. */
  readonly endpoint: string;
  /** Every Claude product of both offers in the region, as the API's JSON strings. */
  fetchDocuments(): Promise<string[]>;
  destroy(): void;
}

export interface PriceListClientOptions {
  /** The region whose prices are read. */
  region: string;
  /** CCAG_AWS_PRICING_ENDPOINT: another endpoint (a VPC endpoint, a proxy, a test mock). */
  endpoint?: string;
}

function queries(region: string): { ServiceCode: string; Filters: Filter[] }[] {
  const inRegion: Filter = { Type: 'TERM_MATCH', Field: 'regionCode', Value: region };
  return [
    // No provider attribute in this offer: the product name is the only way to ask for Claude.
    { ServiceCode: MARKETPLACE_SERVICE_CODE, Filters: [inRegion, { Type: 'CONTAINS', Field: 'servicename', Value: 'Claude' }] },
    { ServiceCode: LEGACY_SERVICE_CODE, Filters: [inRegion, { Type: 'TERM_MATCH', Field: 'provider', Value: 'Anthropic' }] },
  ];
}

/**
 * The SDK is loaded on the first refresh, not at start: a gateway that never refreshes prices
 * (Anthropic only, or refresh off) does not carry the AWS SDK in memory for it.
 */
async function sdkClient(options: PriceListClientOptions): Promise<{ client: PricingClient; GetProductsCommand: typeof import('@aws-sdk/client-pricing').GetProductsCommand }> {
  const [{ PricingClient, GetProductsCommand }, { NodeHttpHandler }] = await Promise.all([import('@aws-sdk/client-pricing'), import('@smithy/node-http-handler')]);
  const client = new PricingClient({
    region: API_REGION,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    requestHandler: new NodeHttpHandler({ connectionTimeout: 10_000, socketTimeout: 60_000 }),
  });
  return { client, GetProductsCommand };
}

export function createPriceListClient(options: PriceListClientOptions): PriceListSource {
  let loaded: ReturnType<typeof sdkClient> | undefined;
  return {
    region: options.region,
    endpoint: options.endpoint ?? `https://api.pricing.${API_REGION}.amazonaws.com`,
    async fetchDocuments() {
      const { client, GetProductsCommand } = await (loaded ??= sdkClient(options));
      const documents: string[] = [];
      for (const query of queries(options.region)) {
        let nextToken: string | undefined;
        let pages = 0;
        do {
          if (++pages > MAX_PAGES) throw new Error(`GetProducts for ${query.ServiceCode} returned more than ${MAX_PAGES} pages`);
          const page = await client.send(new GetProductsCommand({ ...query, FormatVersion: 'aws_v1', MaxResults: PAGE_SIZE, NextToken: nextToken }));
          // Each entry is one product as a JSON string (the SDK may wrap it; String() unwraps).
          for (const item of page.PriceList ?? []) documents.push(String(item));
          nextToken = page.NextToken || undefined;
        } while (nextToken);
      }
      return documents;
    },
    destroy() {
      void loaded?.then(({ client }) => client.destroy());
    },
  };
}
