// Which IP addresses the server may fetch from on behalf of an imported file:
// only globally reachable unicast ones. The ranges are the IANA IPv4 and IPv6
// Special-Purpose Address Registries' "not globally reachable" entries, plus
// multicast and the reserved blocks; an IPv6 address that carries an IPv4 one
// (IPv4-mapped, NAT64, 6to4) is judged by the IPv4 address it leads to, since
// `::ffff:127.0.0.1` and `64:ff9b::a9fe:a9fe` reach loopback and the cloud
// metadata service as surely as the plain forms do.

type Range = { bytes: number[]; prefix: number };

const BLOCKED_V4 = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local (cloud metadata services)
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.88.99.0/24', // 6to4 relay anycast (deprecated)
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and 255.255.255.255 (broadcast)
].map(parseRange);

// Global unicast is 2000::/3; everything outside it (::/128, ::1, 100::/64,
// fc00::/7, fe80::/10, fec0::/10, ff00::/8…) is refused. Inside it, these:
const BLOCKED_V6 = [
  '2001::/23', // IETF protocol assignments (Teredo, benchmarking, ORCHID…)
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation
].map(parseRange);

const GLOBAL_V6 = parseRange('2000::/3');

// IPv6 forms that lead to an IPv4 address, and where that address sits (byte offset).
const CARRIES_V4 = [
  { range: parseRange('::ffff:0:0/96'), offset: 12 }, // IPv4-mapped
  { range: parseRange('::/96'), offset: 12 }, // IPv4-compatible (deprecated)
  { range: parseRange('64:ff9b::/96'), offset: 12 }, // NAT64, well-known prefix
  { range: parseRange('2002::/16'), offset: 2 }, // 6to4
];

// NAT64 for local use (RFC 8215): where the IPv4 address sits depends on the
// network, and the prefix is not globally reachable in any case.
const LOCAL_NAT64 = parseRange('64:ff9b:1::/48');

function parseRange(cidr: string): Range {
  const [address = '', prefix = ''] = cidr.split('/');
  const bytes = address.includes(':') ? ipv6Bytes(address) : ipv4Bytes(address);
  if (!bytes) throw new Error(`not an address range: ${cidr}`);
  return { bytes, prefix: Number(prefix) };
}

function ipv4Bytes(address: string): number[] | null {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part))) return null;
  const bytes = parts.map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : null;
}

function ipv6Bytes(address: string): number[] | null {
  // The URL parser reads every IPv6 form (dotted tails, upper case, `::`
  // anywhere) and writes one: lower-case hex groups, no dotted tail.
  let host: string;
  try {
    host = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const [head = '', tail] = host.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function inRange(bytes: number[], range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  for (let bit = 0; bit < range.prefix; bit++) {
    const mask = 0x80 >> (bit % 8);
    const index = Math.floor(bit / 8);
    if (((bytes[index] ?? 0) & mask) !== ((range.bytes[index] ?? 0) & mask)) return false;
  }
  return true;
}

function isPublicV4(bytes: number[]): boolean {
  return !BLOCKED_V4.some((range) => inRange(bytes, range));
}

/**
 * True when `address` (an IPv4 or IPv6 literal, as a resolver returns it) is
 * globally reachable unicast; false for loopback, private, link-local,
 * documentation, multicast and reserved addresses, for an IPv6 form carrying
 * such an IPv4 address, and for anything that is not an address at all.
 */
export function isPublicAddress(address: string): boolean {
  const v4 = ipv4Bytes(address);
  if (v4) return isPublicV4(v4);
  if (!address.includes(':')) return false;
  const v6 = ipv6Bytes(address);
  if (!v6) return false;
  for (const { range, offset } of CARRIES_V4) {
    if (inRange(v6, range)) return isPublicV4(v6.slice(offset, offset + 4));
  }
  if (inRange(v6, LOCAL_NAT64)) return false;
  return inRange(v6, GLOBAL_V6) && !BLOCKED_V6.some((range) => inRange(v6, range));
}
