import type { commentsEn } from './comments.en.js';

/** The admin's words for comments, in Bahasa Indonesia. */
export const commentsId: Record<keyof typeof commentsEn, string> = {
};
