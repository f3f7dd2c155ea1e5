import http from 'node:http';
import net from 'node:net';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { makeTestApp, recordingLogger, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
let log: ReturnType<typeof recordingLogger>;
beforeEach(() => {
  log = recordingLogger();
  t = makeTestApp({ env: { TRUST_PROXY: 'loopback' }, logger: log.logger });
});
afterEach(() => t.close());

const accessLines = () => log.lines.filter((l) => l.msg === 'request completed' || l.msg === 'request aborted');

describe('access log', () => {
  it('writes one line per request with method, path, status and the client address the proxy gave', async () => {
    await request(t.app).get(SEED_PATH).set('X-Forwarded-For', '198.51.100.4').expect(200);
    const [line] = accessLines();
    expect(line).toMatchObject({ level: 30, req: { method: 'GET', url: SEED_PATH, ip: '198.51.100.4' }, res: { statusCode: 200 } });
    expect(typeof line.responseTime).toBe('number');
  });

  it('never writes cookies, the Authorization header, login codes, form tokens or a draft\'s preview key', async () => {
    await request(t.app).get('/auth/google/callback?code=SECRET-CODE&state=SECRET-STATE')
      .set('Cookie', 'blog.sid=SECRET-SESSION').set('Authorization', 'Bearer SECRET-BEARER');
    const { agent, csrf } = await adminAgent(t);
    await agent.post('/admin/logout/').type('form').send({ _csrf: csrf });
    await request(t.app).get('/p/0123456789abcdef0123456789abcdef/');
    const written = JSON.stringify(log.lines);
    for (const secret of ['SECRET-CODE', 'SECRET-STATE', 'SECRET-SESSION', 'SECRET-BEARER', csrf, '0123456789abcdef0123456789abcdef']) expect(written).not.toContain(secret);
    expect(accessLines()[0].req).toMatchObject({ url: '/auth/google/callback?code=%5BRedacted%5D&state=%5BRedacted%5D' });
  });

  it('writes its lines as pino writes them: the same keys in the same order', async () => {
    await request(t.app).get(SEED_PATH).set('User-Agent', 'evil"\\ agent} {"level":60}').expect(200);
    const [line] = accessLines();
    expect(Object.keys(line)).toEqual(['level', 'time', 'pid', 'hostname', 'req', 'res', 'responseTime', 'msg']);
    expect(line.req).toEqual({ method: 'GET', url: SEED_PATH, ip: expect.stringMatching(/127\.0\.0\.1$/), userAgent: 'evil"\\ agent} {"level":60}' });
    log.logger.info({ req: line.req, res: line.res, responseTime: line.responseTime }, 'request completed');
    const { time: _pinoTime, ...byPino } = log.lines.at(-1)!;
    const { time: _ownTime, ...byHand } = line;
    expect(JSON.stringify(byHand)).toBe(JSON.stringify(byPino));
  });

  it('writes a server fault at error, and no line for health checks', async () => {
    await request(t.app).get('/healthz').expect(200);
    await request(t.app).get('/healthz?probe=1').expect(200);
    t.db.exec('DROP TABLE post_terms');
    await request(t.app).get('/').expect(500);
    expect(accessLines().map((l) => [l.level, (l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode])).toEqual([[50, '/', 500]]);
  });

  it('says so when the client went away before its answer', async () => {
    const server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as net.AddressInfo;
    // A comment whose body never arrives whole: the form parser waits for the rest until the socket closes.
    const socket = net.connect(port, '127.0.0.1');
    socket.write('POST /comments/ HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\npost_id=1');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await expect.poll(() => accessLines().map((l) => [l.msg, (l.req as { method: string }).method])).toEqual([['request aborted', 'POST']]);
    server.close();
  });

  it('logs a refused form token and a cross-site post at warn, with the address', async () => {
    const { agent } = await adminAgent(t);
    await agent.post('/admin/logout/').set('X-Forwarded-For', '203.0.113.3').type('form').send({ _csrf: 'forged' }).expect(403);
    await request(t.app).post('/comments/').set('X-Forwarded-For', '203.0.113.4').set('Sec-Fetch-Site', 'cross-site').type('form').send({}).expect(403);
    const warnings = log.lines.filter((l) => l.level === 40 && l.msg === 'request refused');
    expect(warnings.map((l) => [l.ip, l.reason])).toEqual([['203.0.113.3', 'Invalid form token'], ['203.0.113.4', 'Cross-site request refused']]);
  });
});

describe('access log of pages answered from the page cache', () => {
  it('writes the same line for a cached answer, with the proxy-given address and the cache marked', async () => {
    await request(t.app).get(SEED_PATH).set('X-Forwarded-For', '198.51.100.4').expect(200);
    await request(t.app).get(SEED_PATH).set('X-Forwarded-For', '198.51.100.5').expect(200);
    const lines = accessLines();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 30, cache: 'hit', req: { method: 'GET', url: SEED_PATH, ip: '198.51.100.5' }, res: { statusCode: 200 } });
  });

  it('writes a hit’s line as pino writes its lines: the same keys in the same order, a hostile user agent kept inside its string', async () => {
    await request(t.app).get(SEED_PATH).expect(200);
    await request(t.app).get(SEED_PATH).set('User-Agent', 'evil"\\ agent} {"level":60}').expect(200);
    await request(t.app).get(SEED_PATH).expect(200);
    const [, withAgent, without] = accessLines();
    const pinoLine = log.lines.find((l) => l.msg === 'request completed')!;
    expect(Object.keys(withAgent)).toEqual(['level', 'time', 'pid', 'hostname', 'req', 'res', 'cache', 'msg']);
    expect([withAgent.pid, withAgent.hostname]).toEqual([pinoLine.pid, pinoLine.hostname]);
    expect(Math.abs((withAgent.time as number) - Date.now())).toBeLessThan(60_000);
    expect(withAgent.req).toEqual({ method: 'GET', url: SEED_PATH, ip: expect.stringMatching(/127\.0\.0\.1$/), userAgent: 'evil"\\ agent} {"level":60}' });
    expect(Object.keys(without.req as object)).toEqual(['method', 'url', 'ip']);
    // pino's own line for the same fields is the same, but for the time.
    log.logger.info({ req: withAgent.req, res: withAgent.res, cache: 'hit' }, 'request completed');
    const { time: _pinoTime, ...byPino } = log.lines.at(-1)!;
    const { time: _hitTime, ...byHand } = withAgent;
    expect(JSON.stringify(byHand)).toBe(JSON.stringify(byPino));
    expect(log.lines.some((l) => l.level === 60)).toBe(false);
  });

  it('writes no hit line when the log level is above info', async () => {
    t.close();
    log = recordingLogger('warn');
    t = makeTestApp({ env: { TRUST_PROXY: 'loopback' }, logger: log.logger });
    await request(t.app).get(SEED_PATH).expect(200);
    await request(t.app).get(SEED_PATH).expect(200);
    expect(log.lines).toEqual([]);
  });

  it('names the peer as the client of a cached answer that came without X-Forwarded-For, as a miss does', async () => {
    await request(t.app).get(SEED_PATH).expect(200);
    await request(t.app).get(SEED_PATH).expect(200);
    const [miss, hit] = accessLines();
    expect(hit.cache).toBe('hit');
    const ipOf = (line: Record<string, unknown>) => (line.req as { ip: string }).ip;
    expect(ipOf(hit)).toMatch(/127\.0\.0\.1$/);
    expect(ipOf(hit)).toBe(ipOf(miss));
  });
});
