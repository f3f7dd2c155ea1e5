import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { createPostEditor } from '../../src/services/post-editor.js';
import type { PostForm } from '../../src/services/post-form.js';
import { createScheduledPosts } from '../../src/services/scheduled-posts.js';
import { createPostsRepository } from '../../src/repositories/posts.js';
import { createPostsAdminRepository } from '../../src/repositories/posts-admin.js';
import { createTermsRepository } from '../../src/repositories/terms.js';
import { allOf, type BlogEvents } from '../../src/services/blog-events.js';
import type { Post, User } from '../../src/models.js';

type Said = [keyof BlogEvents, number, string];

let t: TestApp;
let said: Said[];
let editor: ReturnType<typeof createPostEditor>;
let author: User;
let posts: ReturnType<typeof createPostsRepository>;

beforeEach(() => {
  t = makeTestApp();
  said = [];
  const record = (name: 'postPublished' | 'postUpdated' | 'postWithdrawn') => (post: Post) => void said.push([name, post.id, post.slug]);
  // Through allOf, as the container tells its listeners.
  const events = allOf({ postPublished: record('postPublished'), postUpdated: record('postUpdated'), postWithdrawn: record('postWithdrawn') });
  const admin = createPostsAdminRepository(t.db);
  posts = createPostsRepository(t.db);
  editor = createPostEditor({
    posts, admin, terms: createTermsRepository(t.db), settings: t.services.settings, scheduled: createScheduledPosts(admin, () => new Date()),
    transaction: (fn) => t.db.transaction(fn)(), now: () => new Date(), events,
  });
  author = t.services.users.findByLogin('newbie-im')!;
});
afterEach(() => t.close());

const form = (fields: Partial<PostForm> = {}): PostForm => ({ ...editor.emptyForm('post'), title: 'Hello', markdown: 'Some *text*.', status: 'published', ...fields });
const save = (fields: Partial<PostForm>, existing?: Post) => {
  // An existing post is saved from its own form (as the editor shows it), changed by `fields`.
  const base = existing ? editor.formFor(editor.findForEdit(existing.id, author, 'post') as Exclude<ReturnType<typeof editor.findForEdit>, 'forbidden' | null>) : form();
  const result = editor.save({ ...base, ...fields }, 'post', author, existing && posts.findById(existing.id));
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  return result.post;
};

describe('what the post editor tells its listeners', () => {
  it('publishing says postPublished once; saving a draft says nothing', () => {
    const draft = save({ status: 'draft' });
    expect(said).toEqual([]);
    const live = save({ status: 'published' }, draft);
    expect(said).toEqual([['postPublished', live.id, 'hello']]);
  });

  it('a live post saved with a new title, text, excerpt or tags says postUpdated once each; saved unchanged, nothing', () => {
    let post = save({});
    said = [];
    post = save({}, post);
    expect(said).toEqual([]);
    for (const change of [{ title: 'Hello again' }, { markdown: 'Other text.' }, { excerpt: 'In short.' }, { tags: 'news' }]) post = save(change, post);
    expect(said).toEqual([['postUpdated', post.id, 'hello'], ['postUpdated', post.id, 'hello'], ['postUpdated', post.id, 'hello'], ['postUpdated', post.id, 'hello']]);
  });

  it('a live post switched to draft, moved to a future date, password-protected, or trashed says postWithdrawn once, with its public slug', () => {
    const a = save({ title: 'A' });
    const b = save({ title: 'B' });
    const c = save({ title: 'C' });
    const d = save({ title: 'D' });
    said = [];
    editor.switchToDraft(a);
    save({ publishAt: '2999-01-01T09:00' }, b);
    save({ visibility: 'password', password: 'sesame' }, c);
    editor.trash(d);
    expect(said).toEqual([['postWithdrawn', a.id, 'a'], ['postWithdrawn', b.id, 'b'], ['postWithdrawn', c.id, 'c'], ['postWithdrawn', d.id, 'd']]);
    // Already out of public view: trashing the draft, or deleting the trashed post for good, says nothing more.
    said = [];
    editor.trash(posts.findById(a.id)!);
    editor.deletePermanently(posts.findById(d.id)!);
    expect(said).toEqual([]);
  });

  it('a live post deleted for good says postWithdrawn; a protected post made public again says postPublished', () => {
    const gone = save({ title: 'Gone' });
    const locked = save({ title: 'Locked', visibility: 'password', password: 'sesame' });
    said = [];
    editor.deletePermanently(gone);
    save({ visibility: 'public' }, locked);
    expect(said).toEqual([['postWithdrawn', gone.id, 'gone'], ['postPublished', locked.id, 'locked']]);
  });

  it('a live post given a new address says postWithdrawn at the old one, then postPublished at the new one', () => {
    const post = save({ title: 'Old name' });
    said = [];
    save({ slug: 'new-name' }, post);
    expect(said).toEqual([['postWithdrawn', post.id, 'old-name'], ['postPublished', post.id, 'new-name']]);
  });
});
