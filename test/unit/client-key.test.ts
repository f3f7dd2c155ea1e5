import { describe, expect, it } from 'vitest';
import { clientKey } from '../../src/http/client-key.js';

describe('clientKey', () => {
  it('counts IPv4 clients by their address, also when written as IPv4-mapped IPv6', () => {
    expect(clientKey('203.0.113.5')).toBe('203.0.113.5');
    expect(clientKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
  });

  it('counts IPv6 clients by the /56 they are in', () => {
    expect(clientKey('2001:db8:1:1ff:abcd::9')).toBe('2001:db8:1:100::/56');
    expect(clientKey('2001:db8:1:100::1')).toBe('2001:db8:1:100::/56');
    expect(clientKey('2001:db8:1:200::1')).toBe('2001:db8:1:200::/56');
  });

  it('passes anything else through as it is', () => {
    expect(clientKey(undefined)).toBe('');
    expect(clientKey('not an address')).toBe('not an address');
  });
});
