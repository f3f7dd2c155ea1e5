import { diffLines } from 'diff';
import type { MessageKey } from '../i18n/index.js';
import type { Post, Revision } from '../models.js';
import type { RevisionsRepository, RevisionText } from '../repositories/revisions.js';

/** Revisions kept per post; older ones are dropped (WordPress keeps all unless told, which grows without end). */
export const KEPT_REVISIONS = 25;

export type DiffLine = { change: 'added' | 'removed' | 'same'; text: string };
export type FieldDiff = { field: 'title' | 'markdown' | 'excerpt'; changed: boolean; lines: DiffLine[] };
/** One side of a comparison: a revision, or the post as it is now (id 'current'). */
export type Version = { id: number | 'current'; title: string; bodyMarkdown: string; excerpt: string; authorName: string; createdAt: string };

export interface RevisionsDeps {
  repo: RevisionsRepository;
  now: () => Date;
}

/** A textarea sends CRLF; a revision differing only by line endings is no change. */
const lf = (text: string) => text.replace(/\r\n?/g, '\n');
const sameText = (a: RevisionText, b: RevisionText) =>
  a.title === b.title && lf(a.bodyMarkdown) === lf(b.bodyMarkdown) && lf(a.excerpt) === lf(b.excerpt);

/** A comparison of two long, wholly different texts gives up after this long (the request must not hang on it). */
const DIFF_TIMEOUT_MS = 2000;

/** Line-by-line differences, each line of jsdiff's parts on its own; past the time limit, all of one out and the other in. */
function lineDiff(before: string, after: string): DiffLine[] {
  const [a, b] = [lf(before), lf(after)];
  const parts = diffLines(a, b, { timeout: DIFF_TIMEOUT_MS }) ?? [{ value: a, removed: true, added: false }, { value: b, added: true, removed: false }];
  return parts.filter((part) => part.value !== '').flatMap((part) => {
    const change = part.added ? 'added' : part.removed ? 'removed' : 'same';
    return part.value.replace(/\n$/, '').split('\n').map((text) => ({ change, text }) as DiffLine);
  });
}

export function createRevisions({ repo, now }: RevisionsDeps) {
  const current = (post: Post): Version => ({
    id: 'current', title: post.title, bodyMarkdown: post.bodyMarkdown, excerpt: post.excerpt, authorName: post.authorName, createdAt: post.updatedAt,
  });

  return {
    /** After a save: the post's text becomes a revision unless it is the last one again; the saver's autosave is spent. */
    recordSave(post: Post, userId: number) {
      const last = repo.latest(post.id);
      if (!last || !sameText(last, post)) {
        repo.addRevision(post.id, userId, post, now().toISOString());
        repo.prune(post.id, KEPT_REVISIONS);
      }
      repo.deleteAutosave(post.id, userId);
    },

    /** Newest first; the one the post still holds is marked (there is nothing to restore or compare it with). */
    list(post: Post): (Revision & { isCurrent: boolean })[] {
      return repo.list(post.id).map((revision, index) => ({ ...revision, isCurrent: index === 0 && sameText(revision, post) }));
    },
    count: (postId: number) => repo.count(postId),
    find: (postId: number, id: number) => repo.find(postId, id),

    /** Two versions of a post compared field by field; null when either revision is not the post's. */
    compare(post: Post, fromId: number | 'current', toId: number | 'current') {
      const version = (id: number | 'current'): Version | undefined => (id === 'current' ? current(post) : repo.find(post.id, id));
      const from = version(fromId);
      const to = version(toId);
      if (!from || !to) return null;
      const fields = (['title', 'markdown', 'excerpt'] as const).map((field): FieldDiff => {
        const key = field === 'markdown' ? 'bodyMarkdown' : field;
        const lines = lineDiff(from[key], to[key]);
        return { field, changed: lines.some((line) => line.change !== 'same'), lines };
      });
      return { from, to, fields };
    },

    /** Checks an autosave's text as the editor's save would; a message key when it cannot be kept. */
    checkAutosave(text: RevisionText): MessageKey | null {
      if (text.title.length > 300) return 'admin.posts.error.titleLong';
      if (text.bodyMarkdown.length > 1_000_000) return 'admin.posts.error.markdownLong';
      if (text.excerpt.length > 2000) return 'admin.posts.error.excerptLong';
      return null;
    },

    /** Keeps the user's autosave beside the post; the post itself (a live one included) is not touched. */
    autosave(post: Post, userId: number, text: RevisionText): string {
      const at = now().toISOString();
      repo.putAutosave(post.id, userId, text, at);
      return at;
    },

    /** The user's autosave when it is newer than the post's last save and says something else; undefined otherwise. */
    pendingAutosave(post: Post, userId: number): Revision | undefined {
      const autosave = repo.findAutosave(post.id, userId);
      if (!autosave || sameText(autosave, post)) return undefined;
      // Saves are timed by the revisions they record (the service clock); a post older than revisions by its own time.
      const lastSave = repo.latest(post.id)?.createdAt ?? post.updatedAt;
      return autosave.createdAt > lastSave ? autosave : undefined;
    },
  };
}

export type RevisionsService = ReturnType<typeof createRevisions>;
