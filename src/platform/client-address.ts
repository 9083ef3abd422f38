import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** Which proxy hops to believe, given an address and its distance from this process (0: the connection's own peer). */
export type TrustedProxies = (address: string, hop: number) => boolean;

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
