import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { GENERAL, settingsHelpers } from '../support/admin-settings.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});
const { admin } = settingsHelpers(() => t, (app) => { t = app; });

describe('/admin/settings/ access', () => {
  const routes = ['/admin/settings/', '/admin/settings/discussion/', '/admin/settings/media/'];

  it('answers an author 403 on every settings screen, for reading and for saving, and changes nothing', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t, 'author');
    const dashboard = await agent.get('/admin/');
    expect(dashboard.text).not.toContain('href="/admin/settings/"');
    for (const path of routes) {
      expect((await agent.get(path)).status).toBe(403);
      expect((await agent.post(path).type('form').send({ _csrf: csrf, ...GENERAL, title: 'Taken over', maxUploadMb: '100' })).status).toBe(403);
    }
    expect(t.services.settings.get()).toMatchObject({ title: 'IMers Blog', maxUploadMb: 8 });
  });

  it('sends an anonymous visitor to the login and refuses an anonymous POST', async () => {
    t = makeTestApp();
    for (const path of routes) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/login/?next=${encodeURIComponent(path)}`);
      expect((await request(t.app).post(path).type('form').send({ title: 'x' })).status).toBe(403);
    }
  });

  it('refuses a save without the form token, or with another one', async () => {
    const { agent } = await admin();
    for (const token of [undefined, 'forged']) {
      const res = await agent.post('/admin/settings/').type('form').send({ ...GENERAL, title: 'Forged', ...(token ? { _csrf: token } : {}) });
      expect(res.status).toBe(403);
    }
    expect(t!.services.settings.get().title).toBe('IMers Blog');
  });

  it('links the three screens to each other and marks the current one', async () => {
    const { agent } = await admin();
    const page = await agent.get('/admin/settings/discussion/').expect(200);
    expect(page.text).toContain('<h1>Discussion Settings</h1>');
    expect(page.text).toContain('href="/admin/settings/"');
    expect(page.text).toContain('href="/admin/settings/discussion/" aria-current="page"');
    expect(page.text).toContain('href="/admin/settings/media/"');
    expect(page.headers['cache-control']).toBe('private, no-store');
  });
});
