import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/** Which proxy hops to believe, given an address and its distance from this process (0: the connection's own peer). */
export type TrustedProxies = (address: string, hop: number) => boolean;

/** What every per-address limit counts by: an IPv4 address, or an IPv6 /64 (`2001:db8:1:2::/64`). See `addressGroup`. */
export type AddressGroup = string & { readonly __addressGroup: true };

/** The group of every address that is not one (no peer, or a believed X-Forwarded-For hop that is no address). */
const UNKNOWN = 'unknown' as AddressGroup;

/**
 * TRUST_PROXY read as Express reads `trust proxy` (its `compileTrust`): `true` believes every hop, a
 * number that many, and names or subnets (`loopback, 10.0.0.0/8`) the proxies at those addresses. The
 * api hands Express this very function, so the api and the socket process count the same client address.
 */
export function trustedProxies(setting: boolean | number | string): TrustedProxies {
  if (setting === true) return () => true;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting === false ? [] : setting.split(',').map((s) => s.trim()));
}

/** The client's address by that rule (Express's `req.ip`), for requests that never reach Express: Socket.IO handshakes. */
export function clientAddress(req: IncomingMessage, trust: TrustedProxies): string {
  return proxyAddr(req, trust) ?? 'unknown';
}

/**
 * The one key every per-address limit counts a client by, in the api and the socket process alike.
 * An IPv6 client holds a whole /64 (a home, a phone) and picks any address in it, so it counts by its
 * /64; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, how a dual-stack listener sees IPv4) by its IPv4
 * address; IPv4 as itself. Anything that is no address shares one group, so that made-up strings do not
 * each get a budget.
 */
export function addressGroup(address: string | undefined): AddressGroup {
  if (address === undefined || !ipaddr.isValid(address)) return UNKNOWN;
  // `process` turns an IPv4-mapped address into its IPv4 one.
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.toString() as AddressGroup;
  const [a = 0, b = 0, c = 0, d = 0] = (ip as ipaddr.IPv6).parts;
  return `${new ipaddr.IPv6([a, b, c, d, 0, 0, 0, 0]).toString()}/64` as AddressGroup;
}

/** `clientAddress`, grouped as every limit counts it. */
export function clientAddressGroup(req: IncomingMessage, trust: TrustedProxies): AddressGroup {
  return addressGroup(clientAddress(req, trust));
}
