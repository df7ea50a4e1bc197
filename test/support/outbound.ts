/** The SSRF guard as the tests run it: loopback opened, for tests that build areas by hand and call local mocks. */
import { outboundAllowlistSchema } from '../../src/config/outbound-addresses.js';
import { createOutboundGuard } from '../../src/config/outbound-guard.js';

/** CCAG_OUTBOUND_ALLOW_PRIVATE for every test gateway: the mocks listen on loopback (the default refuses it). */
export const TEST_OUTBOUND_ALLOWLIST = '127.0.0.0/8,::1';

export const loopbackOutbound = createOutboundGuard(outboundAllowlistSchema.parse(TEST_OUTBOUND_ALLOWLIST));
