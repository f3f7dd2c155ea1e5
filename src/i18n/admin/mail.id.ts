import type { mailEn } from './mail.en.js';

/** Kata-kata admin tentang pengiriman email (Pengaturan → Diskusi), dalam Bahasa Indonesia. */
export const mailId: Record<keyof typeof mailEn, string> = {
  'admin.mail.off': 'Email mati: blog tidak mengirim pemberitahuan komentar, konfirmasi langganan, maupun pengaturan ulang kata sandi.',
  'admin.mail.offHow': 'Untuk menyalakannya, isi {variable} (alamat SMTP, nama pengguna, dan kata sandi dari penyedia email Anda) di tempat blog dijalankan, lalu jalankan ulang blog.',
  'admin.mail.offExample': 'Contoh: {example}',
  'admin.mail.dir': 'Mode pengembangan: pesan tidak dikirim; setiap pesan ditulis sebagai berkas .eml (bisa dibuka dengan program email apa pun) ke {dir}.',
  'admin.mail.dirHow': 'Isi {variable} alih-alih {dirVariable} untuk mengirimnya.',
};
