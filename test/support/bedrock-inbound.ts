/**
 * A gateway for the Bedrock-format inbound tests, routing to a mock Bedrock (with the fake AWS
 * credentials its default chain reads, restored on close) or to a mock Anthropic API.
 */
import { startGateway, type TestGateway } from './gateway.js';
import { startMockAnthropic, type MockAnthropic } from './mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from './mock-bedrock.js';

export const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true' };

export interface InboundGateway {
  gw: TestGateway;
  bedrock: MockBedrock | undefined;
  anthropic: MockAnthropic | undefined;
  close(): Promise<void>;
}

export async function startInboundGateway(upstream: 'bedrock' | 'anthropic'): Promise<InboundGateway> {
  const saved: Record<string, string | undefined> = {};
  let bedrock: MockBedrock | undefined;
  let anthropic: MockAnthropic | undefined;
  let gw: TestGateway | undefined;
  if (upstream === 'bedrock') {
    for (const [name, value] of Object.entries(AWS_ENV)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    bedrock = await startMockBedrock();
    gw = await startGateway({ database: 'sqlite', env: { AWS_REGION: 'us-east-1', BEDROCK_ENDPOINT_URL: bedrock.url, ...AWS_ENV } });
  } else {
    anthropic = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: anthropic.apiKey, ANTHROPIC_UPSTREAM_URL: anthropic.url } });
  }
  if (!gw) throw new Error('the SQLite test gateway did not start');
  return {
    gw,
    bedrock,
    anthropic,
    async close() {
      await gw.close();
      await bedrock?.close();
      await anthropic?.close();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
