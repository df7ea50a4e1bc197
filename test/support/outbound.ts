/** The SSRF guard with the default policy (loopback allowed), for tests that build areas by hand and call local mocks. */
import { DEFAULT_OUTBOUND_ALLOWLIST, outboundAllowlistSchema } from '../../src/config/outbound-addresses.js';
import { createOutboundGuard } from '../../src/config/outbound-guard.js';

export const defaultOutbound = createOutboundGuard(outboundAllowlistSchema.parse(DEFAULT_OUTBOUND_ALLOWLIST));
