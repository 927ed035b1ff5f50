/**
 * Which addresses the HTTP connector may call. Public addresses are allowed;
 * the server's own neighbourhood is refused unless an administrator lists
 * it in WEFT_CONNECTOR_ALLOW (hosts and CIDRs, `127.0.0.1,10.0.0.0/8`), so a
 * diagram cannot make the server call its internals (a cloud metadata
 * endpoint, a database's admin port). IPv4 written as IPv6 (`::ffff:127.0.0.1`,
 * `::ffff:7f00:1`, NAT64 `64:ff9b::7f00:1`) is judged as the IPv4 it holds.
 */
import { BlockList, isIP, isIPv4 } from 'node:net';

const RANGES: { kind: string; cidrs: string[] }[] = [
  { kind: 'loopback', cidrs: ['127.0.0.0/8', '::1/128'] },
  { kind: 'private', cidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] },
  { kind: 'link-local', cidrs: ['169.254.0.0/16', 'fe80::/10'] },
  { kind: 'unique-local', cidrs: ['fc00::/7'] },
  { kind: 'carrier-grade NAT', cidrs: ['100.64.0.0/10'] },
  { kind: 'unspecified', cidrs: ['0.0.0.0/8', '::/128'] },
  { kind: 'reserved', cidrs: ['192.0.0.0/24', '198.18.0.0/15', '240.0.0.0/4', '::/96', '2001:db8::/32'] },
  { kind: 'multicast', cidrs: ['224.0.0.0/4', 'ff00::/8'] },
];

const DENIED = RANGES.map(({ kind, cidrs }) => ({ kind, list: blockListOf(cidrs) }));

export interface AddressPolicy {
  /** Host names (lower case) allowed whatever they resolve to. */
  hosts: Set<string>;
  /** Addresses allowed although they are in a refused range. */
  addresses: BlockList;
}

export const ALLOW_SETTING = 'WEFT_CONNECTOR_ALLOW';

/** WEFT_CONNECTOR_ALLOW's entries (already split) as a policy, with a problem for each entry that is neither a host nor a CIDR. */
export function addressPolicy(entries: string[]): { policy: AddressPolicy; problems: string[] } {
  const policy: AddressPolicy = { hosts: new Set(), addresses: new BlockList() };
  const problems: string[] = [];
  for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
    const [address, bits, extra] = raw.replace(/^\[(.*)\]$/, '$1').split('/');
    const family = isIP(address);
    if (extra !== undefined) problems.push(`'${raw}' is neither a host nor a CIDR`);
    else if (family && bits === undefined) policy.addresses.addAddress(address, family === 4 ? 'ipv4' : 'ipv6');
    else if (family && /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)) policy.addresses.addSubnet(address, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    else if (!family && bits === undefined && /^[a-z0-9.-]+$/i.test(address)) policy.hosts.add(address.toLowerCase());
    else problems.push(`'${raw}' is neither a host nor a CIDR`);
  }
  return { policy, problems };
}

/** Why `address` (reached for `host`) is refused, or null when it may be called. */
export function refusal(host: string, address: string, policy: AddressPolicy): string | null {
  if (policy.hosts.has(host.toLowerCase().replace(/^\[(.*)\]$/, '$1'))) return null;
  // The IPv4 form first: it is what the message should name, and what an administrator would list.
  const forms = [embeddedIPv4(address), address].filter((a): a is string => a !== null);
  if (forms.some((a) => policy.addresses.check(a, isIPv4(a) ? 'ipv4' : 'ipv6'))) return null;
  for (const a of forms) {
    const denied = DENIED.find(({ list }) => list.check(a, isIPv4(a) ? 'ipv4' : 'ipv6'));
    if (denied) {
      const shown = a === address ? address : `${address}, that is ${a}`;
      return `The HTTP connector may not call ${host} (${shown}): it is a ${denied.kind} address. An administrator allows it by adding '${a}' (or its network, or the host name) to ${ALLOW_SETTING}`;
    }
  }
  return null;
}

/** The IPv4 address an IPv4-mapped (`::ffff:…`), IPv4-compatible (`::…`) or NAT64 (`64:ff9b::…`) IPv6 address holds, else null. */
export function embeddedIPv4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const groups = expand(address);
  if (!groups) return null;
  const head = groups.slice(0, 6).map((g) => g.toString(16)).join(':');
  const mapped = head === '0:0:0:0:0:ffff' || head === '0:0:0:0:0:0' || head === '64:ff9b:0:0:0:0';
  // `::` and `::1` are IPv6's own unspecified and loopback addresses, not IPv4 in disguise.
  if (!mapped || (head === '0:0:0:0:0:0' && groups[6] === 0 && groups[7] <= 1)) return null;
  return [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.');
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function expand(address: string): number[] | null {
  let text = address.split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left, right] = text.split('::');
  const parts = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const l = parts(left);
  const r = parts(right);
  const fill = right === undefined ? [] : new Array(8 - l.length - r.length).fill(0);
  const groups = [...l, ...fill, ...r];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function blockListOf(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    list.addSubnet(address, Number(bits), isIPv4(address) ? 'ipv4' : 'ipv6');
  }
  return list;
}
