import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/models.js';
import { primaryAction, publishTiming } from '../../src/services/publish-actions.js';

const NOW = new Date('2026-06-01T10:00:00Z');
const post = (status: Post['status'], publishedAt: string | null = null) => ({ status, publishedAt }) as Post;

describe('the Publish panel’s primary button (WordPress’s rule)', () => {
  it('says Publish, Schedule or Update from the item’s status and the date typed', () => {
    const cases: [Post | undefined, string, string][] = [
      [undefined, '', 'publish'],
      [undefined, '2026-06-01T11:00', 'schedule'],
      [undefined, '2026-05-01T09:00', 'publish'],
      [undefined, 'not a date', 'publish'],
      [post('draft'), '2026-06-02T08:00', 'schedule'],
      [post('published', '2026-05-01T09:00:00Z'), '2026-05-01T09:00', 'update'],
      [post('published', '2026-05-01T09:00:00Z'), '2026-07-01T09:00', 'schedule'],
      [post('scheduled', '2026-07-01T09:00:00Z'), '2026-07-01T09:00', 'update'],
      [post('scheduled', '2026-07-01T09:00:00Z'), '2026-05-01T09:00', 'publish'],
    ];
    for (const [item, typed, action] of cases) expect([item?.status, typed, primaryAction(item, typed, 'UTC', NOW)]).toEqual([item?.status, typed, action]);
  });

  it('reads the date in the site’s time zone', () => {
    // 16:30 in Jakarta (UTC+7) is 09:30 UTC, already past at 10:00 UTC.
    expect(primaryAction(undefined, '2026-06-01T16:30', 'Asia/Jakarta', NOW)).toBe('publish');
    expect(primaryAction(undefined, '2026-06-01T17:30', 'Asia/Jakarta', NOW)).toBe('schedule');
  });
});

describe('what a save stores', () => {
  it('publishes now, schedules a future date, keeps a draft; never unpublishes by a save', () => {
    expect(publishTiming('published', '', undefined, 'UTC', NOW)).toEqual({ status: 'published', publishedAt: NOW.toISOString() });
    expect(publishTiming('published', '2026-06-02T08:00', undefined, 'UTC', NOW)).toEqual({ status: 'scheduled', publishedAt: '2026-06-02T08:00:00.000Z' });
    expect(publishTiming('draft', '', undefined, 'UTC', NOW)).toEqual({ status: 'draft', publishedAt: null });
    const live = post('published', '2026-05-01T09:00:07Z');
    // The minute shown unchanged keeps its seconds.
    expect(publishTiming('published', '2026-05-01T09:00', live, 'UTC', NOW)).toEqual({ status: 'published', publishedAt: '2026-05-01T09:00:07Z' });
    for (const existing of [live, post('scheduled', '2026-07-01T09:00:00Z')]) {
      expect(publishTiming('draft', '', existing, 'UTC', NOW)).toEqual({ error: { status: 'admin.posts.error.useSwitchToDraft' } });
    }
    expect(publishTiming('deleted', '', undefined, 'UTC', NOW)).toEqual({ error: { status: 'admin.posts.error.status' } });
    expect(publishTiming('published', 'next tuesday', undefined, 'UTC', NOW)).toEqual({ error: { publishAt: 'admin.posts.error.publishAt' } });
  });
});
