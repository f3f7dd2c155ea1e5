import { afterEach, describe, expect, it } from 'vitest';
import { DISCUSSION, settingsHelpers } from '../support/admin-settings.js';
import { SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});
const { admin, reader } = settingsHelpers(() => t, (app) => { t = app; });

describe('Discussion settings', () => {
  it("starts from WordPress's defaults", async () => {
    const { agent } = await admin();
    const page = await agent.get('/admin/settings/discussion/').expect(200);
    for (const box of ['requireNameEmail', 'requirePreviouslyApproved', 'threadComments', 'useGravatar']) {
      expect(page.text).toMatch(new RegExp(`id="${box}" name="${box}" value="1" checked>`));
    }
    for (const box of ['pageComments', 'closeComments']) expect(page.text).toMatch(new RegExp(`id="${box}" name="${box}" value="1">`));
    expect(page.text).toContain('<option value="5" selected>5</option>');
    expect(page.text).toContain('id="moderationLinks" name="moderationLinks" value="2"');
    expect(page.text).toContain('id="commentsPerPage" name="commentsPerPage" value="50"');
    expect(page.text).toContain('id="closeCommentsAfterDays" name="closeCommentsAfterDays" value="14"');
  });

  it('round-trips every knob: an unticked box is false, and the word lists keep one entry a line', async () => {
    const { agent, save } = await admin();
    const res = await save('/admin/settings/discussion/', {
      moderationLinks: '0', moderationKeys: '  casino \r\n\r\n192.168.1.1\r\n', disallowedKeys: 'viagra\r\nspam.example',
      threadDepth: '3', commentsPerPage: '20', closeCommentsAfterDays: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/settings/discussion/?saved=1');
    expect(t!.services.settings.get()).toMatchObject({
      requireNameEmail: false, requirePreviouslyApproved: false, moderationLinks: 0, moderationKeys: 'casino\n192.168.1.1',
      disallowedKeys: 'viagra\nspam.example', threadDepth: 1, pageComments: false, commentsPerPage: 20, closeCommentsAfterDays: 0, useGravatar: false,
    });
    const page = await agent.get(res.headers.location);
    expect(page.text).toContain('Settings saved.');
    expect(page.text).not.toContain('checked');
    expect(page.text).toContain('>casino\n192.168.1.1</textarea>');

    expect((await save('/admin/settings/discussion/', {
      ...DISCUSSION, pageComments: '1', threadDepth: '10', closeComments: '1', closeCommentsAfterDays: '30', commentsPerPage: '7',
    })).status).toBe(303);
    expect(t!.services.settings.get()).toMatchObject({
      requireNameEmail: true, requirePreviouslyApproved: true, moderationLinks: 2, moderationKeys: '', disallowedKeys: '',
      threadDepth: 10, pageComments: true, commentsPerPage: 7, closeCommentsAfterDays: 30, useGravatar: true,
    });
    const again = await agent.get('/admin/settings/discussion/');
    expect(again.text).toContain('<option value="10" selected>10</option>');
    expect(again.text).toContain('id="closeComments" name="closeComments" value="1" checked>');
    expect(again.text).toContain('value="30"');
  });

  it('without threading, no comment offers a Reply link; without avatars, no Gravatar is shown', async () => {
    const clock = manualClock();
    const { save } = await admin({ now: clock.now });
    t!.services.settings.update({ requirePreviouslyApproved: false });
    expect((await submitComment(t!, clock, { comment: 'First!' })).status).toBe(303);
    const before = await reader(SEED_PATH);
    expect(before.text).toContain('class="comment-reply-link"');
    expect(before.text).toContain('src="https://gravatar.com/avatar/');

    const { requirePreviouslyApproved: _a, threadComments: _t, useGravatar: _g, ...unticked } = DISCUSSION;
    expect((await save('/admin/settings/discussion/', unticked)).status).toBe(303);
    const after = await reader(SEED_PATH);
    expect(after.text).toContain('First!');
    expect(after.text).not.toContain('class="comment-reply-link"');
    expect(after.text).not.toContain('gravatar.com');
  });

  it('with name and email no longer required, lets an anonymous comment through', async () => {
    const clock = manualClock();
    const { save } = await admin({ now: clock.now });
    const refused = await submitComment(t!, clock, { author: '', email: '', comment: 'Who am I?' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Please enter your name.');

    const { requireNameEmail: _, ...rest } = DISCUSSION;
    expect((await save('/admin/settings/discussion/', rest)).status).toBe(303);
    clock.advance(60);
    const accepted = await submitComment(t!, clock, { author: '', email: '', comment: 'Who am I?' });
    expect(accepted.status).toBe(303);
    expect(t!.db.prepare('SELECT author_name, author_email, status FROM comments').get()).toEqual({ author_name: '', author_email: '', status: 'pending' });
  });

  it('closes comments on older posts once the box is ticked', async () => {
    const { save } = await admin();
    expect((await reader(SEED_PATH)).text).toContain('id="commentform"');
    expect((await save('/admin/settings/discussion/', { ...DISCUSSION, closeComments: '1', closeCommentsAfterDays: '30' })).status).toBe(303);
    expect((await reader(SEED_PATH)).text).toContain('Comments are closed.');
  });

  it('refuses unusable numbers and oversized lists with 422, keeping what was typed', async () => {
    const { save } = await admin();
    const res = await save('/admin/settings/discussion/', {
      ...DISCUSSION, closeComments: '1', closeCommentsAfterDays: '0', moderationLinks: 'many', threadDepth: '11',
      commentsPerPage: '-1', disallowedKeys: 'w\n'.repeat(15_000),
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<span class="error" id="closeCommentsAfterDays-error">Enter a number of days from 1 to 36500, or untick the box.</span>');
    expect(res.text).toContain('<span class="error" id="moderationLinks-error">Enter a whole number from 0 to 100.</span>');
    expect(res.text).toContain('<span class="error" id="threadDepth-error">Choose from 2 to 10 levels, or untick the box.</span>');
    expect(res.text).toContain('<span class="error" id="commentsPerPage-error">Enter a whole number from 1 to 500.</span>');
    expect(res.text).toContain('<span class="error" id="disallowedKeys-error">Keep this list under 20,000 characters.</span>');
    expect(res.text).toContain('value="many"');
    expect(res.text).toContain('id="closeComments" name="closeComments" value="1" checked>');
    expect(t!.services.settings.get()).toMatchObject({ closeCommentsAfterDays: 0, moderationLinks: 2, threadDepth: 5, commentsPerPage: 50, disallowedKeys: '' });
  });
});

describe('Media settings', () => {
  it('saves the upload limit in megabytes and refuses anything but 1 to 100', async () => {
    const { agent, save } = await admin();
    expect((await agent.get('/admin/settings/media/')).text).toContain('id="maxUploadMb" name="maxUploadMb" value="8"');
    expect((await save('/admin/settings/media/', { maxUploadMb: '20' })).status).toBe(303);
    expect(t!.services.settings.get().maxUploadMb).toBe(20);
    for (const maxUploadMb of ['0', '101', 'big', '2.5', '']) {
      const res = await save('/admin/settings/media/', { maxUploadMb });
      expect(res.status, maxUploadMb).toBe(422);
      expect(res.text).toContain(`value="${maxUploadMb}"`);
      expect(res.text).toContain('Enter a whole number from 1 to 100.');
    }
    expect(t!.services.settings.get().maxUploadMb).toBe(20);
  });
});
