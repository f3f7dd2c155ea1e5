import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, createAccount, logIn, PASSWORD } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

const NEW_PASSWORD = 'a brand new long passphrase';

/** The profile form as a browser sends it: the user's name and email unchanged unless given. */
const profileForm = (csrf: string, fields: Record<string, string>) =>
  ({ _csrf: csrf, name: 'The administrator', email: 'administrator@example.org', currentPassword: '', newPassword: '', repeatPassword: '', ...fields });

const loginStatus = async (email: string, password: string) =>
  (await request(t.app).post('/admin/login/').type('form').send({ email, password })).status;

describe('/admin/profile/', () => {
  it('refuses a wrong current password with 422, beside the field, keeping the name typed and echoing no password', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/profile/').type('form').send(profileForm(csrf, {
      name: 'Renamed Owner', currentPassword: 'not my password at all', newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD,
    }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Your profile was not saved.');
    expect(res.text).toContain('<span class="error" id="currentPassword-error">This is not your current password.</span>');
    expect(res.text).toContain('value="Renamed Owner"');
    expect(res.text).not.toContain('not my password at all');
    expect(res.text).not.toContain(NEW_PASSWORD);
    expect(t.services.users.findByLogin('the-administrator')!.displayName).toBe('The administrator');
    expect(await loginStatus('administrator@example.org', PASSWORD)).toBe(303);
    expect(await loginStatus('administrator@example.org', NEW_PASSWORD)).toBe(401);
  });

  it('changes the password with the right current one and logs out every other session of that user, not this one', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const elsewhere = await logIn(t, 'administrator@example.org');
    createAccount(t, 'author', 'writer@example.org');
    const colleague = await logIn(t, 'writer@example.org');

    const res = await agent.post('/admin/profile/').type('form').send(profileForm(csrf, {
      currentPassword: PASSWORD, newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD,
    }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/profile/?saved=password');
    const after = await agent.get(res.headers.location);
    expect(after.status).toBe(200);
    expect(after.text).toContain('Password changed. Every other session of your account has been logged out.');

    const other = await elsewhere.agent.get('/admin/posts/');
    expect(other.status).toBe(303);
    expect(other.headers.location).toBe('/admin/login/?next=%2Fadmin%2Fposts%2F');
    expect((await colleague.agent.get('/admin/posts/')).status).toBe(200);
    expect(await loginStatus('administrator@example.org', PASSWORD)).toBe(401);
    expect(await loginStatus('administrator@example.org', NEW_PASSWORD)).toBe(303);
  });

  it('renames without the current password, but asks for it to change the email', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const renamed = await agent.post('/admin/profile/').type('form').send(profileForm(csrf, { name: '  Ibu Sari  ' }));
    expect(renamed.headers.location).toBe('/admin/profile/?saved=profile');
    const page = await agent.get(renamed.headers.location);
    expect(page.text).toContain('Profile updated.');
    expect(page.text).toContain('<span>Ibu Sari (administrator)</span>');

    const noCurrent = await agent.post('/admin/profile/').type('form').send(profileForm(csrf, { name: 'Ibu Sari', email: 'sari@example.org' }));
    expect(noCurrent.status).toBe(422);
    expect(noCurrent.text).toContain('<span class="error" id="currentPassword-error">Enter your current password to change your email or your password.</span>');
    expect(noCurrent.text).toContain('value="sari@example.org"');

    const moved = await agent.post('/admin/profile/').type('form')
      .send(profileForm(csrf, { name: 'Ibu Sari', email: 'Sari@Example.org', currentPassword: PASSWORD }));
    expect(moved.status).toBe(303);
    expect(await loginStatus('sari@example.org', PASSWORD)).toBe(303);
    expect(await loginStatus('administrator@example.org', PASSWORD)).toBe(401);
    // Only the password logs other sessions out.
    expect((await agent.get('/admin/profile/')).text).toContain('value="sari@example.org"');
  });

  it('names every problem beside its field: empty name, taken email, short or mismatched new password', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    createAccount(t, 'author', 'taken@example.org');
    const res = await agent.post('/admin/profile/').type('form').send(profileForm(csrf, {
      name: ' ', email: 'taken@example.org', currentPassword: PASSWORD, newPassword: 'short', repeatPassword: 'shirt',
    }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('<span class="error" id="name-error">Enter the name readers will see.</span>');
    expect(res.text).toContain('<span class="error" id="email-error">An account with taken@example.org exists already.</span>');
    expect(res.text).toContain('<span class="error" id="newPassword-error">Use at least 12 characters.</span>');
    expect(res.text).toContain('<span class="error" id="repeatPassword-error">The two new passwords are not the same.</span>');
    expect(res.text).not.toContain('id="currentPassword-error"');
    const mismatch = await agent.post('/admin/profile/').type('form').send(profileForm(csrf, {
      currentPassword: PASSWORD, newPassword: NEW_PASSWORD, repeatPassword: `${NEW_PASSWORD}!`,
    }));
    expect(mismatch.status).toBe(422);
    expect(await loginStatus('administrator@example.org', PASSWORD)).toBe(303);
  });

  it('lets an author change their own password too', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t, 'author', 'writer@example.org');
    const page = await agent.get('/admin/profile/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/admin/profile/" aria-current="page"');
    const res = await agent.post('/admin/profile/').type('form').send({
      _csrf: csrf, name: 'The author', email: 'writer@example.org', currentPassword: PASSWORD, newPassword: NEW_PASSWORD, repeatPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect(await loginStatus('writer@example.org', NEW_PASSWORD)).toBe(303);
  });
});
