import express, { type RequestHandler } from 'express';

/**
 * Uploaded images under /uploads/. Stored names are random and never reused, so they can be cached for
 * good; the type comes from the extension the upload was given after its bytes were checked.
 */
export const uploadedFiles = (uploadsDir: string): RequestHandler =>
  express.static(uploadsDir, {
    index: false,
    redirect: false,
    dotfiles: 'deny',
    immutable: true,
    maxAge: '365d',
  });
