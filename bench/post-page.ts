/**
 * Throughput of the hot path: the seed article's page, served by a real server on 127.0.0.1.
 * Fails (exit 1) below the target so a slowdown is noticed; run with `npm run bench`.
 */
import autocannon from 'autocannon';
import { makeTestApp, SEED_PATH } from '../test/support/app.js';

const TARGET_REQUESTS_PER_SECOND = Number(process.argv[2] ?? 400);

const t = makeTestApp();
for (let i = 0; i < 50; i++) {
  t.services.posts.create({
    status: 'published', slug: `filler-${i}`, title: `Filler ${i}`, markdown: `Filler post ${i}.`,
    authorId: t.services.users.findByLogin('newbie-im')!.id, publishedAt: new Date(Date.UTC(2015, 0, i + 1)).toISOString(),
  });
}
const server = t.app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as { port: number };

const result = await autocannon({ url: `http://127.0.0.1:${port}${SEED_PATH}`, connections: 10, duration: 10 });
server.close();
t.close();

const perSecond = result.requests.average;
console.log(`post page: ${perSecond.toFixed(0)} req/s, p99 latency ${result.latency.p99} ms, non-2xx ${result.non2xx}`);
if (result.non2xx > 0 || perSecond < TARGET_REQUESTS_PER_SECOND) {
  console.error(`below target: ${TARGET_REQUESTS_PER_SECOND} req/s with no errors`);
  process.exit(1);
}
