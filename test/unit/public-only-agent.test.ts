import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicOnlyAgent } from '../../src/services/public-only-agent.js';

let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('inside'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What fetch through the agent came to: the body, or the code of the error that stopped it. */
async function fetched(url: string, dispatcher?: ReturnType<typeof publicOnlyAgent>): Promise<string> {
  try {
    return await (await fetch(url, { dispatcher } as RequestInit)).text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code ?? String(err);
  }
}

/** A resolver that answers with the given addresses, whatever the name. */
const answering = (...addresses: string[]) => (_name: string, _options: unknown, done: (err: null, all: { address: string; family: number }[]) => void) =>
  done(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));

describe('publicOnlyAgent (every fetch when private addresses are not allowed)', () => {
  it('connects nowhere on the blog\'s own network: loopback literals, a name that resolves there, an IPv4-mapped one', async () => {
    // The same fetches without it reach the server: the refusals are the agent's.
    expect(await fetched(`http://127.0.0.1:${port}/`)).toBe('inside');
    expect(await fetched(`http://localhost:${port}/`)).toBe('inside');
    const agent = publicOnlyAgent();
    try {
      expect(await fetched(`http://127.0.0.1:${port}/`, agent)).toBe('EPRIVATEADDRESS');
      expect(await fetched(`http://localhost:${port}/`, agent)).toBe('EPRIVATEADDRESS');
      expect(await fetched(`http://[::ffff:127.0.0.1]:${port}/`, agent)).toBe('EPRIVATEADDRESS');
      expect(await fetched(`http://[::1]:${port}/`, agent)).toBe('EPRIVATEADDRESS');
      expect(await fetched(`http://169.254.169.254:${port}/`, agent)).toBe('EPRIVATEADDRESS');
    } finally {
      await agent.close();
    }
  });

  it('judges the addresses the socket is given, so a name that answered a public address before may not turn private (DNS rebinding)', async () => {
    const rebound = publicOnlyAgent({}, answering('127.0.0.1'));
    const mixed = publicOnlyAgent({}, answering('93.184.216.34', '10.0.0.7'));
    try {
      expect(await fetched(`http://fediverse.example:${port}/`, rebound)).toBe('EPRIVATEADDRESS');
      // One private address among public ones is enough: the socket may try any of them.
      expect(await fetched(`http://fediverse.example:${port}/`, mixed)).toBe('EPRIVATEADDRESS');
    } finally {
      await rebound.close();
      await mixed.close();
    }
  });

});
