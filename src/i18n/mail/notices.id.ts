import type { noticesEn } from './notices.en.js';

/** Email tentang komentar baru atau yang ditahan, untuk penulis pos dan administrator. */
export const noticesId: Record<keyof typeof noticesEn, string> = {
  'mail.notice.subject.moderation': '[{site}] Mohon moderasi: "{title}"',
  'mail.notice.subject.comment': '[{site}] Komentar: "{title}"',
  'mail.notice.heading.moderation': 'Komentar baru pada pos "{title}" menunggu persetujuan Anda',
  'mail.notice.heading.comment': 'Komentar baru pada pos "{title}"',
  'mail.notice.author': 'Penulis',
  'mail.notice.email': 'Email',
  'mail.notice.ip': 'Alamat IP',
  'mail.notice.url': 'Situs web',
  'mail.notice.comment': 'Komentar',
  'mail.notice.permalink': 'Pos',
  'mail.notice.approve': 'Setujui',
  'mail.notice.spam': 'Tandai spam',
  'mail.notice.trash': 'Buang ke tempat sampah',
  'mail.notice.actionsNote': 'Setiap tautan membuka komentar itu di admin; tombolnya ada di sana.',
  'mail.notice.waiting.none': 'Tidak ada komentar yang menunggu persetujuan.',
  'mail.notice.waiting.one': 'Saat ini 1 komentar menunggu persetujuan.',
  'mail.notice.waiting.many': 'Saat ini {count} komentar menunggu persetujuan.',
  'mail.notice.panel': 'Panel moderasi',
};
