/**
 * The SSRF guard (src/config/outbound-guard.ts): the address policy, the save-time check, and the
 * connect-time lookup that defeats DNS rebinding. DNS is scripted: `rebind.test` resolves to a
 * public address the first time it is asked and to loopback afterwards, as a hostile name server
 * answers; `both.test` resolves to a public and a private address at once.
 */
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { loadSettings } from '../../src/config/settings.js';
import { addressPolicy, DEFAULT_OUTBOUND_ALLOWLIST, outboundAllowlistSchema } from '../../src/config/outbound-addresses.js';
import { createOutboundGuard, guardedAgents, OUTBOUND_REFUSED } from '../../src/config/outbound-guard.js';
import { TEST_OUTBOUND_ALLOWLIST } from '../support/outbound.js';

const PUBLIC = '93.184.216.34';
const dnsAnswers = { rebindCalls: 0 };

vi.mock('node:dns', async (importOriginal) => {
  const dns = await importOriginal<typeof import('node:dns')>();
  type Callback = (error: NodeJS.ErrnoException | null, addresses: { address: string; family: number }[]) => void;
  const scripted: Record<string, () => { address: string; family: number }[]> = {
    'rebind.test': () => [{ address: dnsAnswers.rebindCalls++ === 0 ? PUBLIC : '127.0.0.1', family: 4 }],
    'both.test': () => [{ address: PUBLIC, family: 4 }, { address: '10.1.2.3', family: 4 }],
    'public.test': () => [{ address: PUBLIC, family: 4 }],
  };
  const lookup = (hostname: string, options: object, callback: Callback) => {
    const answer = scripted[hostname];
    if (answer) return process.nextTick(() => callback(null, answer()));
    return (dns.lookup as unknown as (h: string, o: object, c: Callback) => void)(hostname, options, callback);
  };
  return { ...dns, lookup, default: { ...dns, lookup } };
});

const guardOf = (allow: string) => createOutboundGuard(outboundAllowlistSchema.parse(allow));

describe('the address policy', () => {
  const strict = addressPolicy(outboundAllowlistSchema.parse('none'));

  test.each([
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
    ['::ffff:a9fe:a9fe', 'link-local (cloud metadata)'],
    ['fd00:ec2::254', 'private (unique local)'],
    ['::1', 'loopback'],
    ['127.0.0.1', 'loopback'],
    ['127.10.20.30', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['100.100.100.200', 'shared (carrier-grade NAT)'],
  ])('refuses %s as %s', (address, kind) => {
    expect(strict.refusal(address)).toBe(kind);
  });

  test.each(['93.184.216.34', '172.32.0.1', '2606:4700::1111', '8.8.8.8'])('lets the public address %s through', (address) => {
    expect(strict.refusal(address)).toBeUndefined();
  });

  test('the default refuses loopback too; an allowlist opens ranges (mapped forms included) and names hosts', () => {
    const byDefault = addressPolicy(outboundAllowlistSchema.parse(DEFAULT_OUTBOUND_ALLOWLIST));
    expect([byDefault.refusal('127.0.0.1'), byDefault.refusal('::1'), byDefault.refusal('10.0.0.1'), byDefault.refusal('169.254.169.254')]).toEqual(['loopback', 'loopback', 'private', 'link-local (cloud metadata)']);
    const opened = addressPolicy(outboundAllowlistSchema.parse('10.0.0.0/8, fd00::/8, idp.corp.internal'));
    expect([opened.refusal('10.9.8.7'), opened.refusal('::ffff:10.9.8.7'), opened.refusal('fd12::1'), opened.refusal('127.0.0.1')]).toEqual([undefined, undefined, undefined, 'loopback']);
    expect([opened.hostAllowed('IDP.corp.internal'), opened.hostAllowed('other.corp.internal')]).toEqual([true, false]);
  });

  test('an allowlist item that is neither a range nor a host name stops start-up, naming the variable and the item', () => {
    const load = (value: string) => () => loadSettings({ env: { CCAG_OUTBOUND_ALLOW_PRIVATE: value } });
    expect(load('10.0.0.0/33')).toThrow('invalid setting CCAG_OUTBOUND_ALLOW_PRIVATE (outboundAllowPrivate): "10.0.0.0/33" is neither an address range');
    expect(load('http://x')).toThrow('"http://x" is neither an address range');
    expect(loadSettings({ env: {} }).outboundAllowPrivate).toEqual({ ranges: [], hosts: [] });
  });
});

describe('the save-time check', () => {
  const guard = guardOf('none');
  const refusal = async (url: string) => {
    try {
      await guard.check('url', url);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      return (error as ApiError).message;
    }
  };

  test('refuses private literals and names resolving to one, naming the field and the setting', async () => {
    expect(await refusal('http://169.254.169.254/latest/meta-data/')).toBe(
      'url: refused to connect to 169.254.169.254 (169.254.169.254, a link-local (cloud metadata) address); CCAG_OUTBOUND_ALLOW_PRIVATE can allow it',
    );
    expect(await refusal('https://[::ffff:169.254.169.254]/')).toContain('link-local (cloud metadata)');
    expect(await refusal('https://[fd00:ec2::254]/')).toContain('private (unique local)');
    expect(await refusal('http://0.0.0.0:8080/')).toContain('unspecified');
    expect(await refusal('http://localhost:8080/')).toContain('loopback');
    expect(await refusal('https://both.test/')).toContain('10.1.2.3, a private address');
  });

  test('accepts public names and addresses, and names that do not resolve (connect time decides)', async () => {
    expect(await refusal('https://public.test/hook')).toBeUndefined();
    expect(await refusal(`https://${PUBLIC}/`)).toBeUndefined();
    expect(await refusal('https://no-such-host.invalid/')).toBeUndefined();
  });
});

describe('the connect-time guard', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    dnsAnswers.rebindCalls = 0;
  });

  const causeCode = (error: unknown) => ((error as { cause?: { code?: string } }).cause ?? (error as { code?: string })).code;

  test('regression (DNS rebinding): a name checked as public at save time and resolving to loopback later reaches nothing', async () => {
    const guard = guardOf('none');
    await guard.check('url', `http://rebind.test:${port}/`);
    const refused = await guard.fetch(`http://rebind.test:${port}/`).then(() => undefined, (error: unknown) => error);
    expect(causeCode(refused)).toBe(OUTBOUND_REFUSED);
  });

  test('an IP literal is refused before connecting (the lookup never sees one)', async () => {
    const refused = await guardOf('none').fetch(`http://127.0.0.1:${port}/`).then(() => undefined, (error: unknown) => error);
    expect(causeCode(refused)).toBe(OUTBOUND_REFUSED);
  });

  test('the same calls connect when the allowlist opens loopback, so the guard is what refused them', async () => {
    const guard = guardOf(TEST_OUTBOUND_ALLOWLIST);
    dnsAnswers.rebindCalls = 1;
    expect(await (await guard.fetch(`http://rebind.test:${port}/`)).text()).toBe('reached');
    expect(await (await guard.fetch(`http://127.0.0.1:${port}/`)).text()).toBe('reached');
  });

  test('node:http agents (the AWS SDK with an endpoint override) resolve through the same guard', async () => {
    const call = (allow: string) =>
      new Promise<string>((resolve) => {
        dnsAnswers.rebindCalls = 1;
        get(`http://rebind.test:${port}/`, { agent: guardedAgents(guardOf(allow)).httpAgent }, (response) => {
          response.resume();
          resolve(`HTTP ${response.statusCode}`);
        }).on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
    expect(await call('none')).toBe(OUTBOUND_REFUSED);
    expect(await call(TEST_OUTBOUND_ALLOWLIST)).toBe('HTTP 200');
  });
});
