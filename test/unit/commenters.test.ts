import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

describe('commenters service signIn', () => {
  it('stores one row per provider identity and refreshes it on the next login', () => {
    const first = t.services.commenters.signIn({ provider: 'twitter', id: '42', displayName: 'Ani', pictureUrl: 'https://pbs.example/a.jpg' })!;
    const again = t.services.commenters.signIn({ provider: 'twitter', id: '42', displayName: 'Ani S.' })!;
    expect(again.id).toBe(first.id);
    expect(again.displayName).toBe('Ani S.');
    const other = t.services.commenters.signIn({ provider: 'google', id: '42', displayName: 'Ani' })!;
    expect(other.id).not.toBe(first.id);
    expect(t.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(2);
  });

  it('keeps https pictures only and drops javascript: or data: links', () => {
    const c = t.services.commenters.signIn({
      provider: 'facebook', id: '1', displayName: 'X',
      pictureUrl: 'javascript:alert(1)', profileUrl: 'data:text/html,<script>alert(1)</script>',
    })!;
    expect(c.pictureUrl).toBe('');
    expect(c.profileUrl).toBe('');
    expect(t.services.commenters.signIn({ provider: 'facebook', id: '2', pictureUrl: 'http://plain.example/p.png' })!.pictureUrl).toBe('');
  });

  it('keeps a hostile display name as plain text (escaped when shown) and refuses a profile without an id', () => {
    const c = t.services.commenters.signIn({ provider: 'wordpress', id: '7', displayName: '<img src=x onerror=alert(1)>\n' })!;
    expect(c.displayName).toBe('<img src=x onerror=alert(1)>');
    expect(t.services.commenters.signIn({ provider: 'google', id: '' })).toBeNull();
  });

  it('keeps a whole actor URL as a Fediverse id, and refuses an id too long rather than cutting it into another', () => {
    const base = `https://social.example/users/${'a'.repeat(120)}`;
    const one = t.services.commenters.signIn({ provider: 'fediverse', id: `${base}1`, displayName: 'One' })!;
    const two = t.services.commenters.signIn({ provider: 'fediverse', id: `${base}2`, displayName: 'Two' })!;
    expect(one.id).not.toBe(two.id);
    expect(t.services.commenters.signIn({ provider: 'twitter', id: '9'.repeat(101), displayName: 'Long' })).toBeNull();
  });

  it('stores a nameless profile without a name, which the comment form then calls Anonymous', () => {
    expect(t.services.commenters.signIn({ provider: 'google', id: 'g-9' })!.displayName).toBe('');
  });
});
