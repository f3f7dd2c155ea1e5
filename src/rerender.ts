import type { Services } from './container.js';

/**
 * Start-up step before rerender, when migration 0016 asked for it: the uploads from before it are measured and get
 * their smaller copies (which takes a while on a large library, once), so the re-render gives their images srcset.
 */
export async function measureImages(services: Pick<Services, 'media'>, log: (line: string) => void): Promise<void> {
  const counts = await services.media.measureOldUploadsIfRequested();
  if (counts && counts.measured + counts.unreadable > 0) {
    log(`Uploads measured and copied at smaller widths: ${counts.measured} (unreadable, left as they were: ${counts.unreadable})`);
  }
}

/**
 * Start-up step beside seed: when a migration asked for it, stored post and comment HTML is rendered again by the
 * current renderer (Ghost's way: a renderer change comes with a migration). Says what changed, when anything did.
 */
export function rerender(services: Pick<Services, 'storedHtml'>, log: (line: string) => void): void {
  const counts = services.storedHtml.rerenderIfRequested();
  if (counts && counts.posts + counts.comments > 0) {
    log(`Stored HTML rendered again with the current renderer (posts changed: ${counts.posts}, comments changed: ${counts.comments})`);
  }
}
