import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Services } from './container.js';
import { contentDir } from './paths.js';

const SEED_FILE = 'trend-life-style-menjadi-pasangan-imers.md';

/** Splits a Markdown file into its YAML front matter and its body, byte for byte. */
/** Loaded only when a first run seeds the blog. */
const parseYaml = (text: string): Record<string, unknown> | null => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

export function readFrontMatter(source: string): { data: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(source);
  if (!match) return { data: {}, body: source };
  return { data: parseYaml(match[1]) ?? {}, body: source.slice(match[0].length).replace(/^\n/, '') };
}

/** First-run content: the IMers article, first published on 12 May 2016, by its author. */
export function seed(services: Pick<Services, 'posts' | 'users'>): void {
  const { data, body } = readFrontMatter(fs.readFileSync(path.join(contentDir, SEED_FILE), 'utf8'));
  const authorId = services.users.create({
    login: 'newbie-im',
    displayName: 'Newbie IM',
    email: null,
    passwordHash: null,
    role: 'author',
  });
  services.posts.create({
    status: 'published',
    slug: String(data.slug),
    title: String(data.title),
    lang: typeof data.lang === 'string' ? data.lang : null,
    markdown: body,
    authorId,
    publishedAt: '2016-05-12T03:00:00.000Z',
    categories: [{ slug: 'life-style', name: 'Life Style' }],
    tags: [
      { slug: 'imers', name: 'IMers' },
      { slug: 'internet-marketing', name: 'Internet Marketing' },
    ],
  });
}
