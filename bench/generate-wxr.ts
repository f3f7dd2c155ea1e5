/**
 * The WordPress export the import benchmark (bench/import.ts) reads: what a busy WordPress blog holds, written by
 * our WXR writer (src/wxr/writer.ts, WordPress's own shape). Deterministic: the same size gives the same file.
 */
import fs from 'node:fs';
import type { WxrComment, WxrItem, WxrRecord, WxrTerm } from '../src/wxr/types.js';
import { asHtml, wxrXml } from '../src/wxr/writer.js';
import { random as seeded } from './generate.js';

export interface ExportSize {
  posts: number;
  commentsPerPost: number;
  /** Every this many posts has a featured image: an attachment item right after it. */
  attachmentEvery: number;
}

export const FULL_EXPORT: ExportSize = { posts: 20_000, commentsPerPost: 10, attachmentEvery: 10 };
export const QUICK_EXPORT: ExportSize = { posts: 1_000, commentsPerPost: 10, attachmentEvery: 10 };

const SITE = 'https://kopi-dan-kode.example';
/** Ten parent pages with two children each; an odd parent's children come first in the file, as their ids do. */
const PAGE_SLUGS = ['tentang', 'kontak', 'arsip-foto', 'resep', 'proyek', 'buku-tamu', 'kebijakan-privasi', 'media', 'kolaborasi', 'tanya-jawab'];
const AUTHORS = [
  { login: 'rani', name: 'Rani Wulandari' }, { login: 'budi', name: 'Budi Santoso' },
  { login: 'sari', name: 'Sari & Tim' }, { login: 'admin-lama', name: 'Admin Lama' },
];
const CATEGORIES = ['Kopi', 'Kode', 'Perjalanan', 'Buku', 'Resep', 'SEO & Sosmed', 'Foto', 'Catatan', 'Teknologi', 'Musik', 'Film', 'Olahraga'];
const TAG_WORDS = ['kopi', 'arabika', 'robusta', 'typescript', 'node', 'sqlite', 'jakarta', 'bandung', 'bali', 'resep', 'buku', 'fotografi',
  'hujan', 'kereta', 'mudik', 'teh', 'sepeda', 'pantai', 'gunung', 'linux', 'css', 'html', 'kamera', 'novel', 'puisi', 'sambal', 'bakso', 'podcast', 'musik', 'film'];
const TAG_SUFFIXES = ['', ' 2024', ' tips', ' pemula', ' lanjut'];
/** Block-editor HTML as WordPress stores it: entities, emoji, inline markup. */
const SENTENCES = [
  'Pagi ini saya mencoba kopi dari Gayo ☕ &mdash; rasanya manis, sedikit asam, dan wangi.',
  'Kode yang baik itu seperti resep: jelas, ringkas &amp; bisa diulang siapa saja.',
  'Perjalanan ke Yogyakarta selalu menyenangkan 🚆, apalagi kalau keretanya tepat waktu.',
  'Jangan lupa <strong>mencadangkan</strong> database sebelum memperbarui apa pun&hellip;',
  'It&#8217;s the little things: a fast page, a clear error, a kind comment 🙂.',
  'Harga 10&nbsp;000 rupiah untuk secangkir kopi? Masih wajar 😄.',
  `Lihat juga <a href="${SITE}/tentang/">halaman tentang</a> untuk cerita lengkapnya.`,
  'Menulis setiap hari itu sulit, tapi <em>konsistensi</em> lebih penting daripada kesempurnaan.',
  'Di antara 3 &lt; 5 dan 5 &gt; 3 ada logika yang sama, kata guru matematika saya.',
  'Hujan turun lagi 🌧️; saatnya membaca buku dan menyeduh teh hangat.',
  'Resep nasi goreng: bawang, cabai, kecap manis &amp; sedikit terasi 🍳.',
  'Server kecil pun cukup bila halaman disimpan di <code>cache</code> dengan bijak 🚀.',
];
/** WordPress comments: plain text with inline HTML, paragraphs as blank lines. */
const COMMENT_SENTENCES = [
  'Terima kasih, sangat membantu! 👍', 'Saya coba &amp; berhasil.', 'Bagaimana kalau pakai <code>npm run build</code> dulu?',
  'Setuju sekali &mdash; <em>mantap</em>.', 'Tautannya: <a href="https://contoh.example/">contoh.example</a>', 'Wah, 5 > 3 memang 😂',
  'Kopinya beli di mana, Kak? ☕', 'Ditunggu tulisan berikutnya&hellip;', 'Kurang setuju, tapi <strong>menarik</strong>.',
];

let random = seeded(2024);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
const sentences = (list: readonly string[], min: number, max: number) => Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(list)).join(' ');
const block = (name: string, html: string) => `<!-- wp:${name} -->\n${html}\n<!-- /wp:${name} -->\n\n`;
const slugOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
/** WordPress's `YYYY-MM-DD HH:MM:SS`. */
const wpDate = (time: number) => new Date(time).toISOString().slice(0, 19).replace('T', ' ');
const JAKARTA = 7 * 3600_000;
const START = Date.UTC(2012, 0, 1);

const categories: WxrTerm[] = CATEGORIES.flatMap((name, i) => {
  const top: WxrTerm = { kind: 'term', taxonomy: 'category', id: i + 1, slug: slugOf(name), name: asHtml(name), parentSlug: '', description: `Tulisan tentang ${asHtml(name)}` };
  const children = ['Ulasan', 'Panduan'].map((sub, j): WxrTerm => ({ ...top, id: 100 + i * 2 + j, slug: `${top.slug}-${slugOf(sub)}`, name: `${top.name}: ${sub}`, parentSlug: top.slug, description: '' }));
  return [top, ...children];
});
const tags: WxrTerm[] = TAG_WORDS.flatMap((word, i) => TAG_SUFFIXES.map((suffix, j): WxrTerm =>
  ({ kind: 'term', taxonomy: 'post_tag', id: 1000 + i * 10 + j, slug: slugOf(word + suffix), name: word + suffix, parentSlug: '', description: '' })))
  .concat({ kind: 'term', taxonomy: 'post_tag', id: 2000, slug: 'kaf%c3%a9', name: 'Kafé', parentSlug: '', description: '' });

function postBody(id: number, image: string | null): string {
  let html = block('paragraph', `<p>${sentences(SENTENCES, 4, 6)}</p>`);
  if (id % 3 === 0) html += block('more', '<!--more-->');
  html += block('heading', `<h2 class="wp-block-heading">Bagian ${id % 7} &amp; catatan</h2>`);
  for (let p = 0; p < 4; p++) html += block('paragraph', `<p>${sentences(SENTENCES, 4, 6)}</p>`);
  html += block('list', `<ul class="wp-block-list">${Array.from({ length: 4 }, () => `<!-- wp:list-item -->\n<li>${pick(SENTENCES)}</li>\n<!-- /wp:list-item -->`).join('\n')}</ul>`);
  if (image) html += block(`image {"id":${id + 1},"sizeSlug":"large"}`, `<figure class="wp-block-image size-large"><img src="${image}" alt="Foto ${id}" class="wp-image-${id + 1}"/><figcaption class="wp-element-caption">${pick(SENTENCES)}</figcaption></figure>`);
  if (id % 4 === 0) html += block('quote', `<blockquote class="wp-block-quote"><p>${pick(SENTENCES)}</p><cite>Rani</cite></blockquote>`);
  if (id % 5 === 0) html += block('code', '<pre class="wp-block-code"><code>const sapa = (nama) =&gt; `Halo, ${nama}! 👋`;</code></pre>');
  return html + block('paragraph', `<p>${sentences(SENTENCES, 2, 4)}</p>`);
}

function item(fields: Partial<WxrItem> & Pick<WxrItem, 'id' | 'postType' | 'title' | 'slug' | 'status'>, time: number): WxrItem {
  const dated = fields.status !== 'draft' && fields.status !== 'pending';
  return {
    kind: 'item', link: `${SITE}/?p=${fields.id}`, guid: `${SITE}/?p=${fields.id}`, creator: pick(AUTHORS).login, content: '', excerpt: '',
    postDate: wpDate(time + JAKARTA), postDateGmt: dated ? wpDate(time) : '0000-00-00 00:00:00', parentId: 0, menuOrder: 0,
    commentStatus: 'open', password: '', sticky: false, attachmentUrl: '', terms: [], meta: { _edit_last: '1' }, comments: [], ...fields,
  };
}

/** 86% approved, 7% pending, 5% spam, 2% trash. */
const COMMENT_STATUS: [number, string][] = [[0.86, '1'], [0.93, '0'], [0.98, 'spam'], [1, 'trash']];
const statusOf = (r: number) => COMMENT_STATUS.find(([below]) => r < below)![1];
let commentId = 0;

function commentsFor(postId: number, count: number, time: number): WxrComment[] {
  const list: WxrComment[] = [];
  for (let k = 0; k < count; k++) {
    const id = ++commentId;
    const n = Math.floor(random() * 5000);
    const byAuthor = random() < 0.03;
    const pingback = id % 500 === 0;
    const at = time + (k + 1) * 3_600_000;
    list.push({
      id, parentId: k > 0 && random() < 0.35 ? pick(list).id : 0,
      author: pingback ? 'Blog Lain &raquo; Kutipan' : byAuthor ? AUTHORS[0].name : `Pembaca ${n}`,
      authorEmail: pingback ? '' : byAuthor ? 'rani@kopi-dan-kode.example' : `pembaca${n}@contoh.example`,
      authorUrl: pingback ? 'https://lain.example/kutipan/' : n % 4 === 0 ? `https://pembaca${n}.example/` : '',
      authorIp: n % 3 === 0 ? `2001:db8::${n.toString(16)}` : `10.${n % 256}.${(n >> 8) % 256}.${n % 200}`,
      date: wpDate(at + JAKARTA), dateGmt: wpDate(at),
      content: pingback ? '[&#8230;] dikutip di tulisan kami [&#8230;]' : Array.from({ length: 1 + (n % 3) }, () => sentences(COMMENT_SENTENCES, 1, 3)).join('\n\n'),
      approved: pingback ? '1' : statusOf(random()),
      type: pingback ? 'pingback' : '', userId: byAuthor ? 1 : 0, meta: {},
    });
  }
  // Every fiftieth post lists its replies before the comments they answer.
  return postId % 50 === 0 ? list.reverse() : list;
}

function* pages(): Generator<WxrItem> {
  let id = 0;
  for (const [p, slug] of PAGE_SLUGS.entries()) {
    const parentId = p % 2 === 0 ? ++id : id + 3;
    const parent = item({ id: parentId, postType: 'page', title: slug.replace(/-/g, ' '), slug, status: 'publish', link: `${SITE}/${slug}/`, content: postBody(parentId, null) }, START + p * 86_400_000);
    const children = [1, 2].map((k) => {
      const childId = ++id;
      const childSlug = `${slug}-bagian-${k}`;
      return item({ id: childId, postType: 'page', title: `${slug} bagian ${k}`, slug: childSlug, status: 'publish', parentId, menuOrder: k, link: `${SITE}/${slug}/${childSlug}/`, content: postBody(childId, null) }, START + p * 86_400_000);
    });
    if (p % 2 === 1) id++;
    yield* p % 2 === 0 ? [parent, ...children] : [...children, parent];
  }
}

const STATUS_EVERY: [number, string][] = [[250, 'trash'], [200, 'private'], [150, 'future'], [97, 'pending'], [50, 'draft']];

function* posts(size: ExportSize, firstId: number): Generator<WxrItem> {
  const span = Date.UTC(2024, 11, 31) - START;
  let id = firstId;
  for (let i = 1; i <= size.posts; i++) {
    const postId = id++;
    const status = STATUS_EVERY.find(([every]) => i % every === 0)?.[1] ?? 'publish';
    const time = status === 'future' ? Date.UTC(2030, 0, 1) + i * 60_000 : START + Math.floor((span * i) / size.posts);
    const title = `${pick(CATEGORIES)} & ${pick(TAG_WORDS)}: catatan ke-${i} ${pick(['☕', '🚆', '📚', ''])}`.trim();
    const slug = `${slugOf(title)}`;
    const month = wpDate(time).slice(0, 7).replace('-', '/');
    const image = i % size.attachmentEvery === 0 ? `${SITE}/wp-content/uploads/${month}/foto-${i}.jpg` : null;
    const meta: Record<string, string> = { _edit_last: '1', ...(image ? { _thumbnail_id: String(postId + 1) } : {}) };
    if (status === 'trash') Object.assign(meta, { _wp_trash_meta_status: 'publish', _wp_desired_post_slug: slug });
    const category = pick(categories);
    yield item({
      id: postId, postType: 'post', title: asHtml(title), status, meta,
      slug: status === 'trash' ? `${slug}__trashed` : status === 'draft' || status === 'pending' ? '' : slug,
      link: status === 'publish' ? `${SITE}/${month}/${slug}/` : `${SITE}/?p=${postId}`,
      content: postBody(postId, image), excerpt: i % 7 === 0 ? sentences(SENTENCES, 1, 2) : '',
      sticky: i % 1000 === 0, password: i % 500 === 0 ? 'rahasia' : '',
      terms: [category, ...(random() < 0.4 ? [pick(categories)] : []), ...Array.from({ length: Math.floor(random() * 5) }, () => pick(tags))]
        .filter((t, n, all) => all.indexOf(t) === n).map((t) => ({ taxonomy: t.taxonomy, slug: t.slug, name: t.name })),
      comments: commentsFor(postId, size.commentsPerPost, time),
    }, time);
    if (image) {
      const attachmentId = id++;
      yield item({ id: attachmentId, postType: 'attachment', title: `foto-${i}`, slug: `foto-${i}`, status: 'inherit', parentId: postId, guid: image, attachmentUrl: image, link: `${SITE}/?attachment_id=${attachmentId}`, commentStatus: 'closed', meta: { _wp_attached_file: image.slice(image.indexOf('uploads/') + 8) } }, time);
    }
  }
}

function* records(size: ExportSize): Generator<WxrRecord> {
  yield { kind: 'channel', wxrVersion: '1.2', title: 'Kopi &amp; Kode', link: SITE, description: 'Catatan harian tentang kopi ☕, kode &amp; perjalanan', language: 'id-ID', baseSiteUrl: SITE, baseBlogUrl: SITE };
  for (const [i, a] of AUTHORS.entries()) yield { kind: 'author', id: i + 1, login: a.login, email: `${a.login}@kopi-dan-kode.example`, displayName: asHtml(a.name), firstName: a.name.split(' ')[0], lastName: '' };
  yield* categories;
  yield* tags;
  yield* pages();
  yield* posts(size, PAGE_SLUGS.length * 3 + 1);
}

/** Writes the export to `file`; what it holds, for the benchmark's report. */
export function writeBenchExport(file: string, size: ExportSize) {
  commentId = 0;
  random = seeded(2024);
  const fd = fs.openSync(file, 'w');
  try {
    for (const piece of wxrXml(records(size))) fs.writeSync(fd, piece);
  } finally {
    fs.closeSync(fd);
  }
  const attachments = Math.floor(size.posts / size.attachmentEvery);
  return { posts: size.posts, pages: PAGE_SLUGS.length * 3, attachments, comments: size.posts * size.commentsPerPost, categories: categories.length, tags: tags.length, authors: AUTHORS.length };
}
