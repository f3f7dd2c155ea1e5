import type { postsEn } from './posts.en.js';

/** The admin's words for posts, in Bahasa Indonesia. */
export const postsId: Record<keyof typeof postsEn, string> = {
};
