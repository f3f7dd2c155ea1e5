import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, TIMEOUTS, type RunningServer } from '../../src/server.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { trickledPost } from '../support/slow-request.js';

/** Resolves with the error a fresh connection gets, or null when it connects. */
const connectError = (port: number) =>
  new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', resolve);
  });

describe('listen() and shutdown()', () => {
  let t: TestApp;
  let running: RunningServer | undefined;
  let closed: number[] = [];

  const start = async (graceMs?: number) => {
    t = makeTestApp();
    closed = [];
    running = await listen(t.app, { port: 0, host: '127.0.0.1', graceMs, onClose: () => closed.push(Date.now()) });
    return running;
  };

  afterEach(async () => {
    running?.server.closeAllConnections();
    await running?.shutdown();
    running = undefined;
    t.close();
  });

  it('keeps idle keep-alive sockets longer than a proxy does (nginx: 60 s), headers and whole requests bounded', async () => {
    const { server } = await start();
    expect(server.keepAliveTimeout).toBe(TIMEOUTS.keepAliveTimeout);
    expect(server.keepAliveTimeout).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    expect(server.requestTimeout).toBeGreaterThanOrEqual(server.headersTimeout);
  });

  it('serves /healthz on the loopback address it was given', async () => {
    const { port } = await start();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('lets a request in flight finish, refuses new connections meanwhile, and closes the database only afterwards', async () => {
    const { port, shutdown } = await start();
    const slow = trickledPost(port, '/comments/', 1500, { keepAlive: true });
    await slow.started;
    const stopped = shutdown();
    await new Promise((r) => setTimeout(r, 200));

    expect((await connectError(port))?.code).toBe('ECONNREFUSED');
    expect(closed).toEqual([]);

    const answer = await slow.response;
    expect(answer.status).toBeGreaterThanOrEqual(200);
    expect(answer.body).toContain('</html>');
    // The answered socket was kept alive, and is closed as soon as it goes idle rather than after keepAliveTimeout.
    const began = Date.now();
    await stopped;
    expect(Date.now() - began).toBeLessThan(1000);
    expect(closed).toHaveLength(1);
  });

  it('closes an idle keep-alive socket at once instead of waiting for its timeout', async () => {
    const { port, shutdown } = await start();
    const agent = new http.Agent({ keepAlive: true });
    const res = await new Promise<http.IncomingMessage>((resolve) => http.get({ port, host: '127.0.0.1', path: '/healthz', agent }, resolve));
    res.resume();
    await new Promise((r) => res.on('end', r));
    const began = Date.now();
    await shutdown();
    expect(Date.now() - began).toBeLessThan(1000);
    expect(closed).toHaveLength(1);
    agent.destroy();
  });

  it('cuts a request that outlasts the grace period, then still closes the database', async () => {
    const { port, shutdown } = await start(300);
    const slow = trickledPost(port, '/comments/', 5000);
    await slow.started;
    const began = Date.now();
    await shutdown();
    expect(Date.now() - began).toBeLessThan(2000);
    expect(closed).toHaveLength(1);
    await expect(slow.response).rejects.toThrow();
  });
});
