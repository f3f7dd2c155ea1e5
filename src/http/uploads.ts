import express, { type RequestHandler } from 'express';

/**
 * Uploaded images under /uploads/. Stored names are random and never reused, so they can be cached for
 * good; the type comes from the extension the upload was given after its bytes were checked.
 * Feed readers and other sites show the blog's images, so these (and only these) may be embedded
 * cross-origin: helmet's same-origin policy stays on every other response.
 */
export const uploadedFiles = (uploadsDir: string): RequestHandler =>
  express.static(uploadsDir, {
    index: false,
    redirect: false,
    dotfiles: 'deny',
    immutable: true,
    maxAge: '365d',
    setHeaders: (res) => res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin'),
  });
