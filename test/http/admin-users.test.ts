import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, createAccount, logIn, PASSWORD } from '../support/admin.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

const roleOf = (id: number) => t.db.prepare('SELECT role FROM users WHERE id = ?').pluck().get(id);

describe('/admin/users/', () => {
  it('lists every user with email, role and how many posts they wrote', async () => {
    t = makeTestApp();
    const { agent, user } = await adminAgent(t);
    const list = await agent.get('/admin/users/');
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/admin/users/" aria-current="page"');
    const row = (id: number) => new RegExp(`<tr id="user-${id}">[\\s\\S]*?</tr>`).exec(list.text)![0];
    const seedAuthor = t.services.users.findByLogin('newbie-im')!;
    expect(row(seedAuthor.id)).toContain('<strong>Newbie IM</strong>');
    expect(row(seedAuthor.id)).toContain('<td>1</td>');
    expect(row(seedAuthor.id)).toContain('<option value="author" selected>author</option>');
    expect(row(user.id)).toContain('<a href="mailto:administrator@example.org">administrator@example.org</a>');
    expect(row(user.id)).toContain('(you)');
    expect(row(user.id)).toContain('<option value="administrator" selected>administrator</option>');
    expect(row(user.id)).not.toContain('/delete/');
  });

  it('adds a user who can then log in, and names each problem of a bad form without echoing the password', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await agent.get('/admin/users/new/')).text).toContain('<option value="author" selected>author</option>');
    const bad = await agent.post('/admin/users/new/').type('form')
      .send({ _csrf: csrf, name: 'Budi', email: 'administrator@example.org', role: 'owner', password: 'tiny-secret' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('The user was not added.');
    expect(bad.text).toContain('<span class="error" id="role-error">Choose administrator or author.</span>');
    expect(bad.text).toContain('<span class="error" id="password-error">Use at least 12 characters.</span>');
    expect(bad.text).toContain('value="Budi"');
    expect(bad.text).not.toContain('tiny-secret');
    const blank = await agent.post('/admin/users/new/').type('form')
      .send({ _csrf: csrf, name: 'Budi', email: 'budi@example.org', role: 'author', password: ' '.repeat(13) });
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('<span class="error" id="password-error">A password cannot be spaces alone.</span>');
    const padded = await agent.post('/admin/users/new/').type('form')
      .send({ _csrf: csrf, name: 'Budi', email: 'budi@example.org', role: 'author', password: '   short pass   ' });
    expect(padded.text).toContain('<span class="error" id="password-error">Use at least 12 characters.</span>');
    expect(t.db.prepare("SELECT count(*) AS n FROM users WHERE email = 'budi@example.org'").get()).toEqual({ n: 0 });
    const taken = await agent.post('/admin/users/new/').type('form')
      .send({ _csrf: csrf, name: 'Budi', email: 'Administrator@example.org', role: 'author', password: PASSWORD });
    expect(taken.text).toContain('<span class="error" id="email-error">An account with administrator@example.org exists already.</span>');

    const added = await agent.post('/admin/users/new/').type('form')
      .send({ _csrf: csrf, name: 'Budi Santoso', email: 'budi@example.org', role: 'author', password: PASSWORD });
    expect(added.status).toBe(303);
    const list = await agent.get(added.headers.location);
    expect(list.text).toContain('Budi Santoso was added. They can log in now.');
    const budi = await logIn(t, 'budi@example.org');
    expect((await budi.agent.get('/admin/')).text).toContain('Budi Santoso (author)');
  });

  it('changes a role: an author made administrator sees the Users screen at once', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const writer = createAccount(t, 'author', 'writer@example.org');
    const theirs = await logIn(t, 'writer@example.org');
    expect((await theirs.agent.get('/admin/users/')).status).toBe(403);
    const res = await agent.post(`/admin/users/${writer.id}/role/`).type('form').send({ _csrf: csrf, role: 'administrator' });
    expect(res.status).toBe(303);
    expect((await agent.get(res.headers.location)).text).toContain('The role of The author was changed.');
    expect(roleOf(writer.id)).toBe('administrator');
    expect((await theirs.agent.get('/admin/users/')).status).toBe(200);
    const invalid = await agent.post(`/admin/users/${writer.id}/role/`).type('form').send({ _csrf: csrf, role: 'root' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Choose administrator or author.');
  });

  it('removes a user, giving their posts to another: the public page shows the new author and the old one is logged out', async () => {
    t = makeTestApp();
    const { agent, csrf, user: admin } = await adminAgent(t);
    const writer = createAccount(t, 'author', 'writer@example.org', 'Wati Writer');
    const theirs = await logIn(t, 'writer@example.org');
    addPost(t, { slug: 'tulisan-wati', authorId: writer.id, publishedAt: '2024-03-01T10:00:00.000Z' });
    addPost(t, { slug: 'draf-wati', authorId: writer.id, status: 'draft' });
    const before = await request(t.app).get('/2024/03/01/tulisan-wati/');
    expect(before.text).toContain('Wati Writer');

    const confirm = await agent.get(`/admin/users/${writer.id}/delete/`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Remove Wati Writer?');
    expect(confirm.text).toContain('Wati Writer has written 2 posts and pages.');
    expect(confirm.text).toContain(`<option value="${admin.id}" selected>The administrator (administrator@example.org)</option>`);
    expect(confirm.text).not.toContain(`<option value="${writer.id}"`);

    const noHeir = await agent.post(`/admin/users/${writer.id}/delete/`).type('form').send({ _csrf: csrf, heir: String(writer.id) });
    expect(noHeir.status).toBe(422);
    expect(noHeir.text).toContain('Choose who gets the posts of Wati Writer.');

    const res = await agent.post(`/admin/users/${writer.id}/delete/`).type('form').send({ _csrf: csrf, heir: String(admin.id) });
    expect(res.status).toBe(303);
    const list = await agent.get(res.headers.location);
    expect(list.text).toContain('The user was removed; their posts now belong to The administrator.');
    expect(list.text).not.toContain('Wati Writer');
    const after = await request(t.app).get('/2024/03/01/tulisan-wati/');
    expect(after.status).toBe(200);
    expect(after.text).not.toContain('Wati Writer');
    expect(after.text).toMatch(/By <a href="[^"]*\/author\/the-administrator\/" rel="author">The administrator<\/a>/);
    expect(t.db.prepare('SELECT count(*) FROM posts WHERE author_id = ?').pluck().get(admin.id)).toBe(2);
    expect((await theirs.agent.get('/admin/')).status).toBe(303);
    expect((await request(t.app).post('/admin/login/').type('form').send({ email: 'writer@example.org', password: PASSWORD })).status).toBe(401);
  });

  it('answers an author 403 on every users screen and action, and changes nothing', async () => {
    t = makeTestApp();
    const admin = createAccount(t);
    const { agent, csrf, user } = await adminAgent(t, 'author', 'writer@example.org');
    expect((await agent.get('/admin/')).text).not.toContain('href="/admin/users/"');
    for (const path of ['/admin/users/', '/admin/users/new/', `/admin/users/${admin.id}/delete/`]) {
      expect([path, (await agent.get(path)).status]).toEqual([path, 403]);
    }
    const posts: [string, Record<string, string>][] = [
      ['/admin/users/new/', { name: 'Sneaky', email: 'sneaky@example.org', role: 'administrator', password: PASSWORD }],
      [`/admin/users/${user.id}/role/`, { role: 'administrator' }],
      [`/admin/users/${admin.id}/delete/`, { heir: String(user.id) }],
    ];
    for (const [path, body] of posts) {
      expect([path, (await agent.post(path).type('form').send({ _csrf: csrf, ...body })).status]).toEqual([path, 403]);
    }
    expect(roleOf(user.id)).toBe('author');
    expect(roleOf(admin.id)).toBe('administrator');
    expect(t.services.users.findByLogin('sneaky')).toBeUndefined();
  });

  it('keeps the last administrator: no demotion, and no administrator removes themselves', async () => {
    t = makeTestApp();
    const { agent, csrf, user } = await adminAgent(t);
    const demote = await agent.post(`/admin/users/${user.id}/role/`).type('form').send({ _csrf: csrf, role: 'author' });
    expect(demote.status).toBe(409);
    expect(demote.text).toContain('The administrator is the only administrator. Make someone else an administrator first.');
    expect(roleOf(user.id)).toBe('administrator');

    const page = await agent.get(`/admin/users/${user.id}/delete/`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('You cannot remove your own account.');
    const seedAuthor = t.services.users.findByLogin('newbie-im')!;
    const self = await agent.post(`/admin/users/${user.id}/delete/`).type('form').send({ _csrf: csrf, heir: String(seedAuthor.id) });
    expect(self.status).toBe(403);
    expect(roleOf(user.id)).toBe('administrator');

    // With a second administrator, stepping down is allowed; the Users screen then closes to them.
    const other = createAccount(t, 'administrator', 'second@example.org', 'Second Admin');
    const stepDown = await agent.post(`/admin/users/${user.id}/role/`).type('form').send({ _csrf: csrf, role: 'author' });
    expect(stepDown.headers.location).toBe('/admin/');
    expect((await agent.get('/admin/users/')).status).toBe(403);
    const second = await logIn(t, 'second@example.org');
    const last = await second.agent.post(`/admin/users/${other.id}/role/`).type('form').send({ _csrf: second.csrf, role: 'author' });
    expect(last.status).toBe(409);
    expect(last.text).toContain('Second Admin is the only administrator.');
  });

  it('answers 404 for a user that does not exist', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await agent.get('/admin/users/9999/delete/')).status).toBe(404);
    expect((await agent.get('/admin/users/x/delete/')).status).toBe(404);
    expect((await agent.post('/admin/users/9999/role/').type('form').send({ _csrf: csrf, role: 'author' })).status).toBe(404);
    expect((await agent.post('/admin/users/9999/delete/').type('form').send({ _csrf: csrf, heir: '1' })).status).toBe(404);
    expect((await agent.get(SEED_PATH)).status).toBe(200);
  });
});
