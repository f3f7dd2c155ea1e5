import type { Request } from 'express';
import type { Provider } from '../models.js';

/** Where a provider's strategy keeps the login it started (OAuth 2 state and PKCE verifier, or Twitter's request token). */
export const loginSessionKey = (provider: Provider) => (provider === 'twitter' ? 'oauth:twitter' : `oauth2:${provider}`);

/** Whether this browser started a login with the provider that has not come back yet. */
export const loginInProgress = (req: Request, provider: Provider): boolean =>
  Boolean((req.session as unknown as Record<string, unknown> | undefined)?.[loginSessionKey(provider)]);
