import request from 'supertest';
import type { User } from '../../src/models.js';
import type { TestApp } from './app.js';

export const PASSWORD = 'correct horse battery staple';

/** Makes an account through the users service, as `npm run user:create` does. */
export function createAccount(t: TestApp, role: User['role'] = 'administrator', email = `${role}@example.org`, name = `The ${role}`) {
  const result = t.services.users.createAccount({ email, name, password: PASSWORD, role });
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  return t.services.users.findById(result.id)!;
}

/** The value of a hidden `_csrf` field on a page. */
export const csrfFrom = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A browser-like agent logged in to the admin, with the session's form token for its POSTs. */
export async function logIn(t: TestApp, email: string, password = PASSWORD) {
  const agent = request.agent(t.app);
  const res = await agent.post('/admin/login/').type('form').send({ email, password });
  if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
  const dashboard = await agent.get('/admin/');
  return { agent, csrf: csrfFrom(dashboard.text) };
}

/** An administrator (or author) account, logged in. */
export async function adminAgent(t: TestApp, role: User['role'] = 'administrator', email?: string) {
  const user = createAccount(t, role, email);
  return { user, ...(await logIn(t, user.email!)) };
}
/** The editor form's fields, as a browser sends them, with the given ones filled in. */
export const editor = (fields: Record<string, string | string[]>) => ({ status: 'draft', title: '', markdown: '', ...fields });

/** A catalogue key showing on a page instead of its words (`admin.posts.list.title`). */
export const RAW_KEY = /\badmin\.\w+\.\w/;
