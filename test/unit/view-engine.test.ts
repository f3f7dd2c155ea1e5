import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { viewEngine } from '../../src/http/view-engine.js';

let dir: string;
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

function views(files: Record<string, string>) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'views-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

const render = (engine: ReturnType<typeof viewEngine>, file: string, data: object) =>
  new Promise<string>((resolve, reject) => engine(path.join(dir, file), data, (err, html) => (err ? reject(err) : resolve(html!))));

describe('the view engine', () => {
  it('asks its data only for the names a template reads, not for its own or JavaScript’s', async () => {
    views({ 'page.ejs': '<% const says = t("says") %><% for (const c of roots) { %><%= says %><%= Math.max(c.n, limit) %><% } %><% if (typeof locked !== "undefined") { %>x<% } %>' });
    const asked = new Set<string>();
    const data = new Proxy({ t: (s: string) => s.toUpperCase(), roots: [{ n: 1 }], limit: 2, unused: 0 }, {
      getOwnPropertyDescriptor: (target, name) => {
        asked.add(String(name));
        return Reflect.getOwnPropertyDescriptor(target, name);
      },
    });
    expect(await render(viewEngine(dir, true), 'page.ejs', data)).toBe('SAYS2');
    expect([...asked].sort()).toEqual(['limit', 'locked', 'roots', 't']);
  });

  it('gives a page a value it did not have when the template was first compiled (a protected post’s lock)', async () => {
    views({ 'post.ejs': '<% if (typeof locked !== "undefined") { %>LOCKED<% } else { %><%- body %><% } %>' });
    const engine = viewEngine(dir, true);
    expect(await render(engine, 'post.ejs', { body: '<p>open</p>' })).toBe('<p>open</p>');
    expect(await render(engine, 'post.ejs', { body: '<p>secret</p>', locked: {} })).toBe('LOCKED');
  });

  it('passes an include the page’s data and its own, and leaves JavaScript’s names alone', async () => {
    views({
      'page.ejs': '<%- include("/partials/item", { label: "satu" }) %>|<%= Math.round(n) %>|<%= escapeMe %>',
      'partials/item.ejs': '<%= label %> of <%= site.title %>',
    });
    const engine = viewEngine(dir, true);
    expect(await render(engine, 'page.ejs', { site: { title: 'Blog' }, n: 2.6, escapeMe: '<b>' })).toBe('satu of Blog|3|&lt;b&gt;');
  });

  it('reads a data name that is also one of Node’s globals as data, and leaves out a byte-order mark', async () => {
    views({ 'page.ejs': '\uFEFF<%= crypto %>|<%= navigator %>' });
    const engine = viewEngine(dir, true);
    expect(await render(engine, 'page.ejs', { crypto: 'kunci', navigator: 'peramban' })).toBe('kunci|peramban');
  });

  it('outside production, renders a template anew once its file changes', async () => {
    views({ 'page.ejs': 'one' });
    const engine = viewEngine(dir, false);
    expect(await render(engine, 'page.ejs', {})).toBe('one');
    fs.writeFileSync(path.join(dir, 'page.ejs'), 'two!');
    fs.utimesSync(path.join(dir, 'page.ejs'), new Date(), new Date(Date.now() + 5000));
    expect(await render(engine, 'page.ejs', {})).toBe('two!');
  });

  it('gives an include of an include the page’s names, and reads from the page only the names a template uses', async () => {
    views({
      'page.ejs': '<% for (const n of [1, 2, 3]) { %><%- include("/partials/row", { n }) %><% } %>',
      'partials/row.ejs': '<%= n %>:<%- include("/partials/cell") %>;',
      'partials/cell.ejs': '<%= site.title %>',
    });
    let reads = 0;
    const data = { site: { title: 'Blog' }, get unused() { reads++; return 'x'; } };
    expect(await render(viewEngine(dir, true), 'page.ejs', data)).toBe('1:Blog;2:Blog;3:Blog;');
    expect(reads).toBe(0);
  });

  it('leaves a name no one gave undefined, whatever Object.prototype holds', async () => {
    views({ 'page.ejs': '<%= typeof locked %>|<%- include("/partials/x", { a: 1 }) %>', 'partials/x.ejs': '<%= typeof locked %><%= a %>' });
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.locked = 'yes';
    try {
      expect(await render(viewEngine(dir, true), 'page.ejs', {})).toBe('undefined|undefined1');
    } finally {
      delete polluted.locked;
    }
  });

  it('outside production, names the template and line an error came from', async () => {
    views({ 'page.ejs': 'a\n<%- include("/partials/bad") %>', 'partials/bad.ejs': 'one\ntwo\n<%= missing.name %>' });
    await expect(render(viewEngine(dir, false), 'page.ejs', {})).rejects.toThrow(/page\.ejs:2: .*partials\/bad\.ejs:3: .*'name'/);
  });

  it('gives a template the values it reads as `locals.name`, which a page may leave out', async () => {
    views({ 'page.ejs': '<%- include("/partials/box", { problem: locals.problem }) %>', 'partials/box.ejs': '<%= locals.extra ? "with " + extra : "without" %>/<%= problem %>' });
    const engine = viewEngine(dir, true);
    expect(await render(engine, 'page.ejs', { problem: 'too big', extra: 'box' })).toBe('with box/too big');
    expect(await render(engine, 'page.ejs', {})).toBe('without/');
  });
});

