/**
 * Which addresses an admin-supplied URL may reach (docs/security.md#ssrf): not this machine's
 * loopback, private networks, link-local addresses (169.254.169.254 and fd00:ec2::254 serve cloud
 * instance credentials), or unspecified, multicast and reserved ranges, unless the operator's
 * allowlist (CCAG_OUTBOUND_ALLOW_PRIVATE) names the range or the host name. IPv4-mapped IPv6
 * addresses (::ffff:10.0.0.1) count as the IPv4 address they carry: node's BlockList maps them.
 * Pure: no I/O.
 */
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

type Family = 'ipv4' | 'ipv6';

/** Each refused range with the word an error message uses for it. */
const REFUSED: ReadonlyArray<readonly [network: string, prefix: number, family: Family, kind: string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const refusedBy = REFUSED.map(([network, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, kind };
});

/** What CCAG_OUTBOUND_ALLOW_PRIVATE opens: address ranges, and host names whatever they resolve to. */
export interface OutboundAllowlist {
  readonly ranges: readonly string[];
  readonly hosts: readonly string[];
}

/**
 * Nothing private, loopback included: in a container loopback reaches the pod's sidecars, and an
 * admin-supplied URL must not. A local IdP, search engine or mock upstream is opened explicitly,
 * e.g. CCAG_OUTBOUND_ALLOW_PRIVATE=127.0.0.0/8,::1.
 */
export const DEFAULT_OUTBOUND_ALLOWLIST = 'none';

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$/;

function rangeOf(item: string): { network: string; prefix: number; family: Family } | undefined {
  const [network = '', prefixText] = item.split('/');
  const version = isIP(network);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { network, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** `cidr,cidr,host`; `none` refuses every private range, loopback included. */
export const outboundAllowlistSchema = z.string().transform((text, ctx): OutboundAllowlist => {
  const items = text.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
  if (items.length === 1 && items[0] === 'none') return { ranges: [], hosts: [] };
  const ranges: string[] = [];
  const hosts: string[] = [];
  for (const item of items) {
    if (rangeOf(item)) ranges.push(item);
    else if (HOST_NAME.test(item) && !/^[\d.]+$/.test(item)) hosts.push(item);
    else ctx.addIssue({ code: 'custom', message: `"${item}" is neither an address range (10.0.0.0/8, fd00::/8, 192.168.1.10) nor a host name; use none to allow no private address` });
  }
  return { ranges, hosts };
});

export interface AddressPolicy {
  /** Why an address is refused ("loopback", "private", ...), or undefined when it may be reached. */
  refusal(address: string): string | undefined;
  /** Whether the allowlist names this host, which may then resolve anywhere. */
  hostAllowed(hostname: string): boolean;
}

export function addressPolicy(allowlist: OutboundAllowlist): AddressPolicy {
  const allowed = new BlockList();
  for (const item of allowlist.ranges) {
    const range = rangeOf(item)!;
    allowed.addSubnet(range.network, range.prefix, range.family);
  }
  const hosts = new Set(allowlist.hosts);
  return {
    refusal(address) {
      const version = isIP(address);
      if (version === 0) return 'unparseable';
      const family: Family = version === 4 ? 'ipv4' : 'ipv6';
      if (allowed.check(address, family)) return undefined;
      return refusedBy.find(({ list }) => list.check(address, family))?.kind;
    },
    hostAllowed: (hostname) => hosts.has(hostname.toLowerCase()),
  };
}
