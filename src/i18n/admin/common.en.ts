/** The admin's words for common, in English (the reference); keys start with `admin.common.`. */
export const commonEn = {
} as const;
