import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { joinOrigin, lanAddress } from '../../src/platform/lan-address';

const iface = (address: string, internal = false): NetworkInterfaceInfo =>
  ({ address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }) as NetworkInterfaceInfo;

describe('the address a phone on the same network uses', () => {
  it('is the private IPv4 address, not loopback or a public one', () => {
    expect(lanAddress({ lo: [iface('127.0.0.1', true)], eth0: [iface('203.0.113.9')], wlan0: [iface('192.168.1.23')] })).toBe('192.168.1.23');
  });

  it('is none on a machine with loopback only', () => {
    expect(lanAddress({ lo: [iface('127.0.0.1', true)] })).toBeNull();
  });
});

describe('where the lobby tells players to join', () => {
  const page = (hostname: string, port = 3000, protocol = 'http') => ({ protocol, hostname, port });

  it('replaces localhost with the LAN address on the same port', () => {
    expect(joinOrigin(null, page('localhost'), '192.168.1.23')).toBe('http://192.168.1.23:3000');
    expect(joinOrigin(null, page('127.0.0.1'), '10.0.0.5')).toBe('http://10.0.0.5:3000');
  });

  it('keeps the origin the host used when it is already reachable (a LAN address, a tunnel)', () => {
    expect(joinOrigin(null, page('quiz.example.com', 443, 'https'), '192.168.1.23')).toBe('https://quiz.example.com');
    expect(joinOrigin(null, page('192.168.1.23'), '10.0.0.5')).toBe('http://192.168.1.23:3000');
  });

  it('uses PUBLIC_URL whenever it is set', () => {
    expect(joinOrigin('https://quiz.example.org', page('localhost'), '192.168.1.23')).toBe('https://quiz.example.org');
  });

  it('keeps localhost when the machine has no network address', () => {
    expect(joinOrigin(null, page('localhost'), null)).toBe('http://localhost:3000');
  });
});
