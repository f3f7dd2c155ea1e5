import ipaddr from 'ipaddr.js';

/**
 * What a rate limit counts a client by: its IPv4 address, or the /56 its IPv6 address is in. A home IPv6
 * connection owns at least a /64 (often a /56), so counting single IPv6 addresses would let one visitor
 * walk past every limit by changing the last bits.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return ip ?? '';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts;
  return `${parts.slice(0, 3).map((p) => p.toString(16)).join(':')}:${(parts[3] & 0xff00).toString(16)}::/56`;
}
