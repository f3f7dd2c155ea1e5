/** The admin's words for comments, in English (the reference); keys start with `admin.comments.`. */
export const commentsEn = {
} as const;
