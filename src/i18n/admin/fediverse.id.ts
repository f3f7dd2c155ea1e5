import type { fediverseEn } from './fediverse.en.js';

/** Kata-kata admin untuk Fediverse: tab pengaturannya, blokir, pengikut dan tanda di layar komentar. */
export const fediverseId: Record<keyof typeof fediverseEn, string> = {
  'admin.settings.error.fediverseHandle': 'Pakai 1 sampai 64 huruf, angka, _, . atau -.',
};
