import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

describe('posts service create', () => {
  it('stores nothing when a later part of the save fails, so no post lands without its terms', () => {
    // A term without a name breaks the terms step, after the post row was written.
    expect(() => addPost(t, { slug: 'half-saved', categories: [{ slug: 'nameless', name: null as never }] })).toThrow();
    expect(t.db.prepare("SELECT count(*) FROM posts WHERE slug = 'half-saved'").pluck().get()).toBe(0);
  });
});
