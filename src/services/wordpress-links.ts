import { atomFeedPath, categoryPath, COMMENTS_BASE, dayPath, feedPath, isDay, isMonth, isYear, monthPath, pagedPath, slugOfPath, tagPath, yearPath } from '../permalinks.js';
import type { TermsRepository } from '../repositories/terms.js';
import type { WpOriginsRepository } from '../repositories/wp-origins.js';
import type { PostsService } from './posts.js';

/** The query parameters of WordPress's own links, in the order WordPress reads them. */
const PARAMS = ['p', 'page_id', 'cat', 'tag', 'm', 'feed', 'paged'] as const;
export type WordPressQuery = Partial<Record<(typeof PARAMS)[number], string>>;

/** `?feed=`'s values: WordPress's names of its feeds, and whether each is the Atom one and a comments feed. */
const FEEDS = new Map(Object.entries({
  rss2: { atom: false, comments: false }, rss: { atom: false, comments: false }, rdf: { atom: false, comments: false },
  feed: { atom: false, comments: false }, atom: { atom: true, comments: false },
  'comments-rss2': { atom: false, comments: true }, 'comments-atom': { atom: true, comments: true },
}));

const wpId = (value: string) => (/^\d{1,15}$/.test(value) ? Number(value) : undefined);

/** `?m=2016`, `201605` or `20160512`: WordPress's date archive links without pretty permalinks. */
function datePath(m: string): string | null {
  const [, year, month, day] = /^(\d{4})(\d{2})?(\d{2})?$/.exec(m) ?? [];
  if (!year || !isYear(year) || (month !== undefined && !isMonth(month)) || (day !== undefined && !isDay(day))) return null;
  return day !== undefined ? dayPath(year, month!, day) : month !== undefined ? monthPath(year, month) : yearPath(year);
}

/**
 * WordPress's default links of an imported blog (`/?p=ID`, `/?page_id=ID`, `/?cat=ID`, `/?tag=slug`, `/?m=201605`;
 * with `feed=rss2` or `feed=atom` their feeds, with `paged=2` a list's page) and where they lead here. Other
 * parameters (`preview=true`, tracking) are ignored, as WordPress ignores them.
 */
export function createWordPressLinks({ origins, posts, terms }: { origins: WpOriginsRepository; posts: PostsService; terms: TermsRepository }) {
  /** The current path of the post, page, category, tag or date the link names, or null. */
  const pathOf = (query: WordPressQuery): string | null => {
    const post = query.p ?? query.page_id;
    if (post !== undefined) {
      const id = wpId(post);
      const local = id === undefined ? undefined : origins.localId('post', id);
      return local === undefined ? null : posts.permalinkOf(local);
    }
    if (query.cat !== undefined) {
      const id = wpId(query.cat);
      const local = id === undefined ? undefined : origins.localId('term', id);
      const term = local === undefined ? undefined : terms.findById(local);
      return term?.taxonomy === 'category' ? categoryPath(term.slug) : null;
    }
    if (query.tag !== undefined) {
      const tag = slugOfPath(query.tag);
      return terms.findBySlug('tag', tag) ? tagPath(tag) : null;
    }
    return query.m === undefined ? null : datePath(query.m);
  };

  return {
    /** Whether a request carries one of WordPress's link parameters: only those pay a lookup. */
    isWordPressLink: (query: Record<string, unknown>) => PARAMS.some((name) => query[name] !== undefined),

    /** The current path of what the link names, or null when it names nothing published here. */
    pathFor(query: WordPressQuery): string | null {
      const named = query.p ?? query.page_id ?? query.cat ?? query.tag ?? query.m;
      const base = named === undefined ? '/' : pathOf(query);
      if (base === null) return null;
      if (query.feed !== undefined) {
        const feed = FEEDS.get(query.feed || 'feed');
        // Date archives and pages have no feeds here.
        if (!feed || query.m !== undefined || query.page_id !== undefined) return null;
        // A post's feed is its comments' (WordPress's `?p=ID&feed=rss2`); a category's or tag's lists its posts.
        return (feed.atom ? atomFeedPath : feedPath)(named === undefined && feed.comments ? COMMENTS_BASE : base);
      }
      // A list's later page; a post's own pages (<!--nextpage-->) are one page here.
      if (query.paged === undefined || query.p !== undefined || query.page_id !== undefined) return base;
      // As WordPress reads it: anything but a page number is page 1.
      return /^[1-9]\d{0,6}$/.test(query.paged) ? pagedPath(base, Number(query.paged)) : base;
    },
  };
}

export type WordPressLinks = ReturnType<typeof createWordPressLinks>;
