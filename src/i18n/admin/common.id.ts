import type { commonEn } from './common.en.js';

/** The admin's words for common, in Bahasa Indonesia. */
export const commonId: Record<keyof typeof commonEn, string> = {
};
