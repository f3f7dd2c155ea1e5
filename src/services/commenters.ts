import type { Commenter, Provider } from '../models.js';
import type { CommentersRepository } from '../repositories/commenters.js';
import { isEmail } from './comment-rules.js';
import { plainText } from '../text.js';

/** What a provider said about a visitor: untrusted input, like a guest's form. */
export interface ProviderProfile {
  provider: Provider;
  id: string;
  displayName?: string;
  pictureUrl?: string;
  profileUrl?: string;
  email?: string;
}

export interface CommentersService {
  /** Stores the visitor once per provider identity; null when the profile has no usable id. */
  signIn(profile: ProviderProfile): Commenter | null;
  findById(id: number): Commenter | undefined;
}

/** A URL kept only when it parses and uses one of the schemes; anything else becomes empty. */
function safeUrl(value: unknown, schemes: string[]): string {
  if (typeof value !== 'string' || !URL.canParse(value)) return '';
  const url = new URL(value);
  return schemes.includes(url.protocol) && url.href.length <= 500 ? url.href : '';
}

export function createCommentersService(commenters: CommentersRepository): CommentersService {
  return {
    signIn(profile) {
      // An id too long is refused, never cut: two cut ids could name one commenter. A Fediverse id is an actor URL.
      const limit = profile.provider === 'fediverse' ? 2000 : 100;
      const uid = plainText(profile.id, limit + 1);
      if (!uid || uid.length > limit) return null;
      const email = plainText(profile.email, 100).toLowerCase();
      return commenters.upsert({
        provider: profile.provider,
        providerUid: uid,
        // Nameless is stored empty and named in the site's language where shown, as a nameless guest comment is.
        displayName: plainText(profile.displayName, 245),
        pictureUrl: safeUrl(profile.pictureUrl, ['https:']),
        profileUrl: safeUrl(profile.profileUrl, ['https:', 'http:']),
        email: isEmail(email) ? email : '',
      });
    },
    findById: (id) => commenters.findById(id),
  };
}
