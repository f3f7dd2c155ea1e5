import type { passwordResetEn } from './password-reset.en.js';

/** Kata-kata admin untuk "Lupa kata sandi?", dalam Bahasa Indonesia. */
export const passwordResetId: Record<keyof typeof passwordResetEn, string> = {
  'admin.login.lostPassword': 'Lupa kata sandi?',
  'admin.login.passwordSet': 'Kata sandi baru Anda sudah disimpan, dan akun ini sudah dikeluarkan dari semua sesi. Masuk dengan kata sandi baru.',
  'admin.passwordReset.lost.title': 'Lupa kata sandi?',
  'admin.passwordReset.lost.intro': 'Ketik alamat email akun Anda. Tautan untuk membuat kata sandi baru akan dikirim ke alamat itu.',
  'admin.passwordReset.lost.email': 'Email',
  'admin.passwordReset.lost.submit': 'Minta kata sandi baru',
  'admin.passwordReset.lost.sent': 'Jika ada akun yang memakai alamat itu, tautan untuk membuat kata sandi baru sedang dikirim. Tautan itu hanya berlaku sekali, selama satu jam.',
  'admin.passwordReset.lost.off': 'Blog ini tidak mengirim email, jadi tautan tidak dapat dikirim kepada Anda. Pengelola server blog ini dapat membuat kata sandi baru di sana dengan {command}.',
  'admin.passwordReset.backToLogin': '← Kembali ke halaman Masuk',
  'admin.passwordReset.reset.title': 'Buat kata sandi baru',
  'admin.passwordReset.reset.intro': 'Ketik kata sandi baru dua kali. Menyimpannya mengeluarkan akun ini dari semua perangkat.',
  'admin.passwordReset.reset.password': 'Kata sandi baru (minimal {min} karakter)',
  'admin.passwordReset.reset.repeat': 'Ulangi kata sandi baru',
  'admin.passwordReset.reset.submit': 'Simpan kata sandi',
  'admin.passwordReset.invalid.title': 'Tautan ini sudah tidak berlaku',
  'admin.passwordReset.invalid.body': 'Tautan untuk membuat kata sandi baru hanya berlaku sekali, selama satu jam, dan hanya tautan terbaru untuk sebuah akun. Tautan ini sudah kedaluwarsa, sudah dipakai, atau sudah diganti dengan yang lebih baru.',
  'admin.passwordReset.invalid.again': 'Minta tautan baru',
  'admin.passwordReset.mail.subject': '[{site}] Buat kata sandi baru',
  'admin.passwordReset.mail.asked': 'Seseorang meminta kata sandi baru untuk akun {email} di {site}.',
  'admin.passwordReset.mail.open': 'Untuk membuatnya, buka tautan ini dalam satu jam (hanya berlaku sekali):',
  'admin.passwordReset.mail.notYou': 'Jika itu bukan Anda, abaikan pesan ini: kata sandi Anda tetap seperti semula.',
};
