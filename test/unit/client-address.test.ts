import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressGroup, clientAddress, clientAddressGroup, trustedProxies } from '../../src/platform/client-address';

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

describe('the group every per-address limit counts a client by (addressGroup)', () => {
  it('counts an IPv6 address by its /64, however it is written', () => {
    const groups = ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:DB8:1:2:0:0:0:9', '2001:0db8:0001:0002::abcd'].map(addressGroup);

    expect(new Set(groups)).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(addressGroup('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address, and IPv4 as itself', () => {
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:cb00:7107')).toBe('203.0.113.7');
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('203.0.113.8')).toBe('203.0.113.8');
  });

  it('drops a link-local zone and counts loopback like any /64', () => {
    expect(addressGroup('fe80::1%eth0')).toBe('fe80::/64');
    expect(addressGroup('::1')).toBe('::/64');
  });

  it('puts everything that is no address in one group, so made-up strings share one budget', () => {
    expect(new Set([undefined, '', 'unknown', 'not-an-address', '1.2.3.4.5', '2001:db8::1::2', ' 1.2.3.4'].map(addressGroup))).toEqual(new Set(['unknown']));
  });

  it('groups the address a handshake came from by the same rule, after the trusted proxies', () => {
    const viaProxy = request('127.0.0.1', '2001:db8:7:8:aaaa::1');

    expect(clientAddressGroup(viaProxy, trustedProxies('loopback'))).toBe('2001:db8:7:8::/64');
    expect(clientAddressGroup(request('::ffff:198.51.100.4'), trustedProxies(false))).toBe('198.51.100.4');
  });
});
