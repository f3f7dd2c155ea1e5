import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { isPublicAddress } from './public-address.js';

/** What a refused connection fails with (as the `cause` of fetch's TypeError). */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(readonly host: string, readonly address: string) {
    super(`${host} is at ${address}, not a public address: the blog connects only to public ones`);
  }
}

type Resolve = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

/**
 * A socket's lookup that hands on a name's addresses only when every one is public. The address checked is the one
 * connected to: a name checked earlier (checkHost) may answer differently by the time its socket opens (DNS rebinding).
 */
export function publicOnlyLookup(resolve: Resolve = dns.lookup): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find(({ address }) => !isPublicAddress(address));
      if (refused) return callback(new PrivateAddressError(hostname, refused.address), '', 0);
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      // net asks for every address when it may try both families (autoSelectFamily), else for one.
      if (options.all) return (callback as unknown as (err: null, all: dns.LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * An undici Agent (what fetch sends through) that connects to public addresses only: names through
 * publicOnlyLookup, and address literals, which no lookup sees, checked here. `connect` adds TLS options (tests
 * trust their own CA with it).
 */
export function publicOnlyAgent(connectOptions: buildConnector.BuildOptions = {}, resolve?: Resolve): Agent {
  const connect = buildConnector({ ...connectOptions, lookup: publicOnlyLookup(resolve) } as buildConnector.BuildOptions);
  return new Agent({
    connect(options, callback) {
      const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
      if (net.isIP(host) && !isPublicAddress(host)) return callback(new PrivateAddressError(host, host), null);
      return connect(options, callback);
    },
  });
}

/**
 * Sends every fetch of this process (the Fediverse's deliveries and document loads, Mastodon logins) through a
 * publicOnlyAgent; returns the undo. The checks made before a fetch stay, for their clear answers to the visitor.
 */
export function connectToPublicAddressesOnly(connectOptions?: buildConnector.BuildOptions): () => void {
  const before = getGlobalDispatcher();
  const agent = publicOnlyAgent(connectOptions);
  setGlobalDispatcher(agent);
  return () => {
    setGlobalDispatcher(before);
    void agent.close();
  };
}
