import dns from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** A host name's addresses, each judged public or not; fetches to the outside world go only to public ones. */
export type HostCheck =
  | { addresses: { address: string; family: 4 | 6 }[] }
  | { reason: 'address'; address: string; range: string }
  | { reason: 'dns'; host: string };

/** Whether an address is public (unicast); an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it is. */
export const isPublicAddress = (address: string) => ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';

/**
 * Resolves the host (a name or an address literal, IPv6 in brackets or not) and refuses it when any of its
 * addresses is loopback, private, link-local, unique-local or unspecified, unless `allowPrivate` is set:
 * a name may answer with several addresses.
 */
export async function checkHost(hostname: string, allowPrivate: boolean): Promise<HostCheck> {
  const literal = hostname.replace(/^\[(.*)\]$/, '$1');
  let found: { address: string; family: number }[];
  if (ipaddr.isValid(literal)) found = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
  else {
    try {
      found = await dns.lookup(literal, { all: true, verbatim: true });
    } catch {
      return { reason: 'dns', host: literal };
    }
  }
  if (!allowPrivate) {
    const refused = found.find(({ address }) => !isPublicAddress(address));
    if (refused) return { reason: 'address', address: refused.address, range: ipaddr.process(refused.address).range() };
  }
  return { addresses: found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })) };
}
