/** The admin's words for posts, in English (the reference); keys start with `admin.posts.`. */
export const postsEn = {
} as const;
