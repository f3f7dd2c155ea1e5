import request from 'supertest';
import { adminAgent } from './admin.js';
import { makeTestApp, type TestApp, type TestAppOptions } from './app.js';

/** The General Settings form as a fresh install fills it in. */
export const GENERAL = { title: 'IMers Blog', tagline: 'Catatan seorang newbie IM', publicUrl: '', language: 'en', timeZone: 'UTC', postsPerPage: '10' };
/** The Discussion Settings form as a fresh install fills it in (WordPress's defaults). */
export const DISCUSSION = {
  requireNameEmail: '1', requirePreviouslyApproved: '1', moderationLinks: '2', moderationKeys: '', disallowedKeys: '',
  threadComments: '1', threadDepth: '5', commentsPerPage: '50', closeCommentsAfterDays: '14', useGravatar: '1',
};

/**
 * The settings tests' helpers, around the app a test file keeps in its own variable: `admin()` opens a fresh app
 * and hands it to `keep` at once (so the file's afterEach closes it), then returns an administrator's session and a
 * way to post a settings form as their browser would; `reader()` visits the current app (`app()`) as a reader.
 */
export function settingsHelpers(app: () => TestApp | undefined, keep: (app: TestApp) => void) {
  async function admin(options: TestAppOptions = {}) {
    const opened = makeTestApp(options);
    keep(opened);
    const { agent, csrf } = await adminAgent(opened);
    const save = (path: string, form: Record<string, string | string[]>) =>
      agent.post(path).type('form').send({ _csrf: csrf, ...form });
    return { t: opened, agent, csrf, save };
  }

  const reader = (path: string) => request(app()!.app).get(path);

  return { admin, reader };
}
