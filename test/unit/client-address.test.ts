import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from '../../src/platform/client-address';

/** A request from `peer` through proxies that appended `forwardedFor` (the client first). */
const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('the client address the per-address limits count by (TRUST_PROXY, as Express reads it)', () => {
  const viaTwoProxies = request('10.0.0.2', '203.0.113.7, 10.0.0.1');

  it('is the connection’s own peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(viaTwoProxies, trustedProxies(false))).toBe('10.0.0.2');
  });

  it('believes as many hops as a number says', () => {
    expect(clientAddress(viaTwoProxies, trustedProxies(1))).toBe('10.0.0.1');
    expect(clientAddress(viaTwoProxies, trustedProxies(2))).toBe('203.0.113.7');
  });

  it('believes every hop with true, and only the named proxies with a list', () => {
    expect(clientAddress(viaTwoProxies, trustedProxies(true))).toBe('203.0.113.7');
    expect(clientAddress(viaTwoProxies, trustedProxies('loopback, 10.0.0.0/8'))).toBe('203.0.113.7');
    expect(clientAddress(viaTwoProxies, trustedProxies('10.0.0.2'))).toBe('10.0.0.1');
  });
});
