/** A host name (letters, digits, dots, hyphens) with an optional port: what may follow https://. */
const HOST_PORT = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?(?::\d{1,5})?$/;

/**
 * The instance's origin (https://host[:port]) from what a visitor typed: `mastodon.social`, `@alice@mastodon.social`,
 * `alice@mastodon.social` or `https://mastodon.social/`; null for anything else (another scheme, a path, a space).
 */
export function parseInstance(input: string): string | null {
  let text = input.trim().toLowerCase();
  if (text.length > 300) return null;
  if (text.startsWith('https://')) text = text.slice('https://'.length).replace(/\/$/, '');
  const at = text.lastIndexOf('@');
  if (at >= 0) {
    // A handle: its user part is one word, and the host follows the last @.
    if (!/^@?[a-z0-9_.-]+$/.test(text.slice(0, at))) return null;
    text = text.slice(at + 1);
  }
  if (!HOST_PORT.test(text) || text.includes('..')) return null;
  const url = URL.canParse(`https://${text}`) ? new URL(`https://${text}`) : null;
  return url && url.host === text.replace(/:443$/, '') ? url.origin : null;
}
