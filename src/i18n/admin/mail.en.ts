/** The admin's words about sending email (Settings → Discussion), in English (the reference). */
export const mailEn = {
  'admin.mail.off': 'Email is off: the blog sends no comment notices, no subscription confirmations and no password resets.',
  'admin.mail.offHow': 'To turn it on, set {variable} (your mail provider’s SMTP address, user name and password) where the blog is started, then restart it.',
  'admin.mail.offExample': 'For example: {example}',
  'admin.mail.dir': 'Development mode: messages are not sent; each one is written as an .eml file (open it with any mail program) to {dir}.',
  'admin.mail.dirHow': 'Set {variable} instead of {dirVariable} to send them.',
} as const;
