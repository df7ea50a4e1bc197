/**
 * Regression: a first-run admin who signs in at once was refused on the data plane. The bootstrap
 * admin was created after the user directory had loaded, so until the directory's first poll
 * (CHANGE_POLL_MS later) the admin's device-flow token resolved to no user: 401. The identity
 * area now creates the admin before the directory loads.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { CHANGE_POLL_MS } from '../../src/lifecycle.js';
import { approveWithPassword, authorizeDevice, pollToken } from '../support/device-flow.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

describe('the bootstrap admin', () => {
  let gw: TestGateway | undefined;
  let mock: MockAnthropic | undefined;
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  test('regression: signed in through the device flow right after the first start, the admin’s token works on the data plane', async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    const started = Date.now();
    const device = await authorizeDevice(gw!.url);
    await approveWithPassword(gw!.url, device.user_code, { username: ADMIN_USERNAME, password: ADMIN_PASSWORD });
    const token = await pollToken(gw!.url, device.device_code);
    expect(token.status).toBe(200);
    const models = await fetch(`${gw!.url}/v1/models`, { headers: { authorization: `Bearer ${token.body.access_token as string}` } });
    // Inside the directory's first poll interval, or the test would prove nothing.
    expect(Date.now() - started).toBeLessThan(CHANGE_POLL_MS);
    expect(models.status).toBe(200);
  });
});
