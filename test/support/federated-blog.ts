import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTestApp, type TestAppOptions } from './app.js';
import { testCa, trustTestCa } from './test-ca.js';

/**
 * The blog on a real listening server whose PUBLIC_URL is its own http://127.0.0.1:PORT, allowed to fetch from
 * loopback (fake instances), trusting the test CA. The server is made first to learn its port.
 */
export async function startFederatedBlog(options: TestAppOptions & { allowPrivateAddress?: boolean } = {}) {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = makeTestApp({
    ...options,
    env: { PUBLIC_URL: origin, FEDIVERSE_ALLOW_PRIVATE_ADDRESS: String(options.allowPrivateAddress ?? true), ...options.env },
  });
  server.on('request', t.app);
  const untrust = trustTestCa(await testCa());
  return {
    ...t,
    origin,
    handle: `@${t.services.settings.fediverseAccount().user}@${new URL(origin).host}`,
    async close() {
      await t.services.fediverse.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      untrust();
      t.close();
    },
  };
}

export type FederatedBlog = Awaited<ReturnType<typeof startFederatedBlog>>;
