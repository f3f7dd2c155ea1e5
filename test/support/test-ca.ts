import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import selfsigned from 'selfsigned';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

/** A certificate authority made at test time, and a server certificate it signed for 127.0.0.1 and localhost. */
export interface TestCa {
  caCert: string;
  key: string;
  cert: string;
}

let made: Promise<TestCa> | undefined;

/** One throwaway CA per test process: fake instances on different ports share it. */
export function testCa(): Promise<TestCa> {
  made ??= (async () => {
    const ca = await selfsigned.generate([{ name: 'commonName', value: 'Throwaway test CA' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 2 * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const server = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 2 * 86_400_000),
      ca: { key: ca.private, cert: ca.cert },
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
    });
    return { caCert: ca.cert, key: server.private, cert: server.cert };
  })();
  return made;
}

/**
 * Makes this process's `fetch` trust the test CA, as a server whose system store held it would; returns the undo.
 * Only the CA is trusted meanwhile: nothing here may reach a real host anyway.
 */
export function trustTestCa(ca: TestCa): () => void {
  const before = getGlobalDispatcher();
  const agent = new Agent({ connect: { ca: [ca.caCert] } });
  setGlobalDispatcher(agent);
  return () => {
    setGlobalDispatcher(before);
    void agent.close();
  };
}

/** An https server on 127.0.0.1 with the test CA's certificate; `origin` is https://127.0.0.1:port. */
export async function listenHttps(handler: RequestListener): Promise<{ server: https.Server; origin: string; close(): Promise<void> }> {
  const ca = await testCa();
  const server = https.createServer({ key: ca.key, cert: ca.cert }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    origin,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
