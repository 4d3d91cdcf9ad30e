// Where vipps-local may send a request of its own (webhooks of both formats, Express's shipping
// callback, the PSP's makePayment, the card callback): never to itself, and to private, loopback,
// link-local and other special-purpose addresses only when the operator allows it
// (config `outboundTargets`). The check is made on the addresses a name resolves to, and the
// connection goes to the address that was checked (a `lookup` of our own on the socket), so a name
// that answers differently between the check and the connect (DNS rebinding) gains nothing.
import { isLoopbackHost } from '../platform/loopback.ts';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';

/** 'any': every address may be a target; 'public-only': only public unicast addresses. */
export type OutboundTargets = 'any' | 'public-only';

/** Resolves a name to all its addresses (dns.lookup with `all: true`; tests pass their own). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** Thrown (and reported as `target not allowed`) when a target is refused by the policy. */
export class TargetNotAllowed extends Error {
  readonly code = 'ERR_TARGET_NOT_ALLOWED';
  constructor(readonly why: 'self' | 'internal' | 'scheme') {
    super('target not allowed');
    this.name = 'TargetNotAllowed';
  }
}

/** The default policy: internal targets are allowed when vipps-local listens on loopback only. */
export function defaultOutboundTargets(host: string): OutboundTargets {
  return isLoopbackHost(host) ? 'any' : 'public-only';
}

// ---- special-purpose addresses (IANA IPv4 and IPv6 special-purpose registries) -----------------

const SPECIAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", incl. the unspecified 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. cloud metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast 255.255.255.255
] as const) {
  SPECIAL.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, and IPv4-compatible addresses (deprecated)
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (reaches IPv4 addresses, internal ones too)
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds any IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  SPECIAL.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, `::ffff:7f00:1`) carries, if it is one. */
function embeddedIpv4(ipv6: string): string | null {
  const m = /^(?:0{1,4}:){0,5}:?ffff:(.+)$/i.exec(ipv6.startsWith('::') ? ipv6.slice(1) : ipv6);
  if (!m) return null;
  const rest = m[1]!;
  if (isIPv4(rest)) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** An address without brackets and zone, IPv4-mapped IPv6 as its IPv4 address; null if not an IP. */
export function normalizeIp(address: string): string | null {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const kind = isIP(a);
  if (kind === 4) return a;
  if (kind !== 6) return null;
  const v4 = embeddedIpv4(a.toLowerCase());
  return v4 && isIPv4(v4) ? v4 : a.toLowerCase();
}

/** True for loopback, private, link-local, unspecified, multicast and other special-purpose addresses. */
export function isInternalAddress(address: string): boolean {
  const ip = normalizeIp(address);
  if (ip === null) return true; // not an address: never treat it as public
  return SPECIAL.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6');
}

/** The hostname of a URL as an address or a name: brackets removed, trailing dots removed. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** `localhost` and names under it resolve to loopback by definition (RFC 6761). */
function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * Refused at registration under `public-only`: a literal internal address (WHATWG URL parsing has
 * already turned `127.1`, `2130706433`, `0x7f000001` and `0177.0.0.1` into 127.0.0.1) or a
 * `localhost` name. Names are checked again, resolved, at every delivery.
 */
export function isObviouslyInternal(url: URL): boolean {
  const host = hostOf(url);
  return isLocalhostName(host) || (normalizeIp(host) !== null && isInternalAddress(host));
}

export interface OutboundPolicyOptions {
  targets: OutboundTargets;
  /** The host and port vipps-local listens on; the port is read late (port 0 is chosen at listen). */
  self: () => { host: string; port: number; publicUrl?: string | undefined };
  resolve?: Resolver;
}

export interface CheckedTarget {
  /** The addresses the connection may use, all checked. */
  addresses: LookupAddress[];
}

export interface OutboundPolicy {
  readonly targets: OutboundTargets;
  /** Resolves `url`'s host and checks every address; throws TargetNotAllowed. */
  check(url: URL): Promise<CheckedTarget>;
}

export function createOutboundPolicy(options: OutboundPolicyOptions): OutboundPolicy {
  const resolve = options.resolve ?? systemResolver;

  /** The addresses that are this machine: its interfaces, loopback and the unspecified address. */
  function ownAddresses(): Set<string> {
    const own = new Set<string>(['127.0.0.1', '::1', '0.0.0.0', '::']);
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) own.add(normalizeIp(i.address) ?? i.address);
    return own;
  }

  async function isSelf(url: URL, host: string, addresses: LookupAddress[]): Promise<boolean> {
    const self = options.self();
    const port = portOf(url);
    if (self.publicUrl) {
      const pub = new URL(self.publicUrl);
      if (portOf(pub) === port) {
        const pubHost = hostOf(pub);
        if (pubHost === host) return true;
        const pubAddresses = normalizeIp(pubHost) ? [pubHost] : await resolve(pubHost).then((l) => l.map((a) => a.address), () => []);
        const pubSet = new Set(pubAddresses.map((a) => normalizeIp(a) ?? a));
        if (addresses.some((a) => pubSet.has(normalizeIp(a.address) ?? a.address))) return true;
      }
    }
    if (port !== self.port) return false;
    // At its own port, this machine is vipps-local at every address it has (loopback, the
    // unspecified address, each interface's, the one it listens on): refusing one that would not
    // reach the listening socket costs nothing.
    const own = ownAddresses();
    const listening = normalizeIp(self.host);
    if (listening) own.add(listening);
    return addresses.some((a) => {
      const ip = normalizeIp(a.address) ?? a.address;
      return own.has(ip) || ip.startsWith('127.');
    });
  }

  return {
    targets: options.targets,
    async check(url) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetNotAllowed('scheme');
      const host = hostOf(url);
      const literal = normalizeIp(host);
      let addresses: LookupAddress[];
      if (literal !== null) addresses = [{ address: literal, family: isIPv4(literal) ? 4 : 6 }];
      else if (isLocalhostName(host)) {
        if (options.targets === 'public-only') throw new TargetNotAllowed('internal');
        // Loopback by definition, whatever a resolver says (RFC 6761).
        addresses = (await resolve(host).catch(() => [] as LookupAddress[])).filter((a) => isInternalAddress(a.address));
        if (addresses.length === 0) addresses = [{ address: '127.0.0.1', family: 4 }];
      } else addresses = await resolve(host);
      if (addresses.length === 0) throw Object.assign(new Error('the name has no address'), { code: 'ENOTFOUND' });
      if (await isSelf(url, host, addresses)) throw new TargetNotAllowed('self');
      // Every address must pass: a name that also resolves to an internal address is refused whole.
      if (options.targets === 'public-only' && addresses.some((a) => isInternalAddress(a.address))) throw new TargetNotAllowed('internal');
      return { addresses };
    },
  };
}
