import os from 'node:os';

/**
 * This machine's address on the local network (the first private IPv4 address of an interface that
 * is up), so that a phone on the same Wi-Fi can reach a server started on a laptop; null when none.
 */
export function lanAddress(interfaces: ReturnType<typeof os.networkInterfaces> = os.networkInterfaces()): string | null {
  const candidates = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal)
    .map((i) => i.address);
  const isPrivate = (a: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a);
  return candidates.find(isPrivate) ?? candidates[0] ?? null;
}

/** True for names that only this machine can reach. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || hostname.startsWith('127.');
}

/**
 * Where players join: PUBLIC_URL when set; else the origin the host's browser used, unless that is a
 * loopback name, in which case this machine's LAN address on the same port (a phone cannot use
 * `localhost`); else `fallback`.
 */
export function joinOrigin(publicUrl: string | null, seen: { protocol: string; hostname: string; port: number }, lan = lanAddress()): string {
  if (publicUrl) return publicUrl;
  const hostname = (isLoopbackHost(seen.hostname) ? lan : null) ?? seen.hostname;
  const defaultPort = seen.protocol === 'https' ? 443 : 80;
  return `${seen.protocol}://${hostname}${seen.port === defaultPort ? '' : `:${seen.port}`}`;
}
