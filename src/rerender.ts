import type { Services } from './container.js';

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
