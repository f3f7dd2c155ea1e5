import { Passport, type Profile } from 'passport';
import { Strategy as FacebookStrategy, type StrategyOptions as FacebookOptions } from 'passport-facebook';
import { Strategy as GoogleStrategy, type StrategyOptions as GoogleOptions } from 'passport-google-oauth20';
import OAuth2Strategy from 'passport-oauth2';
import { Strategy as TwitterStrategy } from 'passport-twitter';
import type { Providers } from '../config.js';
import type { Commenter, Provider } from '../models.js';
import type { CommentersService, ProviderProfile } from '../services/commenters.js';
import type { UsersService } from '../services/users.js';
import { parseSessionKey, sessionKeyOf, type Account } from './identity.js';
import { localStrategy } from './local.js';
import { loginSessionKey } from './login-progress.js';
import { sessionRequestTokenStore } from './request-token-store.js';

type Done = (err: unknown, user?: Commenter | false) => void;

export interface PassportDeps {
  providers: Providers;
  /** PUBLIC_URL as started: the strategies' default callback; the auth routes pass the current site URL per request. */
  publicUrl: string;
  commenters: CommentersService;
  users: UsersService;
}

/** Where a provider sends the visitor back to, on the site at `siteUrl`. */
export const callbackUrl = (siteUrl: string, provider: Provider) => `${siteUrl}/auth/${provider}/callback`;

/** A passport per app, never the module singleton: the admin's email login and one strategy per configured provider. */
export function createPassport({ providers, publicUrl, commenters, users }: PassportDeps) {
  const passport = new Passport();
  passport.use('local', localStrategy(users));
  const callbackURL = (provider: Provider) => callbackUrl(publicUrl, provider);
  const verify = (profile: ProviderProfile, done: Done) => done(null, commenters.signIn(profile) ?? false);
  const firstValue = (list?: { value: string }[]) => list?.[0]?.value;

  if (providers.twitter) {
    const p = providers.twitter;
    // A variable, not a literal: the typings do not know passport-oauth1's requestTokenStore option.
    const options = {
      consumerKey: p.consumerKey, consumerSecret: p.consumerSecret, callbackURL: callbackURL('twitter'),
      requestTokenURL: p.requestTokenUrl, accessTokenURL: p.accessTokenUrl,
      userAuthorizationURL: p.userAuthorizationUrl, userProfileURL: p.userProfileUrl,
      skipExtendedUserProfile: p.skipExtendedProfile, includeEmail: true,
      sessionKey: loginSessionKey('twitter'), requestTokenStore: sessionRequestTokenStore(loginSessionKey('twitter')),
    };
    passport.use('twitter', new TwitterStrategy(options, (_token: string, _secret: string, profile: Profile, done: Done) => {
      const json = (profile as Profile & { _json?: Record<string, unknown> })._json ?? {};
      verify({
        provider: 'twitter', id: profile.id, displayName: profile.displayName || profile.username,
        pictureUrl: (json.profile_image_url_https as string | undefined) ?? firstValue(profile.photos),
        profileUrl: profile.username ? `https://x.com/${encodeURIComponent(profile.username)}` : undefined,
        email: firstValue(profile.emails),
      }, done);
    }));
  }

  if (providers.facebook) {
    const p = providers.facebook;
    passport.use('facebook', new FacebookStrategy({
      clientID: p.clientId, clientSecret: p.clientSecret, callbackURL: callbackURL('facebook'),
      authorizationURL: p.authorizationUrl, tokenURL: p.tokenUrl, profileURL: p.profileUrl,
      profileFields: ['id', 'displayName', 'picture.type(large)', 'email', 'link'],
      // PKCE on Facebook's login dialog: https://developers.facebook.com/docs/facebook-login/guides/advanced/oidc-token
      state: true, pkce: true, sessionKey: loginSessionKey('facebook'),
    } as FacebookOptions, (_a: string, _r: string, profile: Profile & { profileUrl?: string }, done: Done) =>
      verify({
        provider: 'facebook', id: profile.id, displayName: profile.displayName,
        pictureUrl: firstValue(profile.photos), profileUrl: profile.profileUrl, email: firstValue(profile.emails),
      }, done)));
  }

  if (providers.google) {
    const p = providers.google;
    passport.use('google', new GoogleStrategy({
      clientID: p.clientId, clientSecret: p.clientSecret, callbackURL: callbackURL('google'),
      authorizationURL: p.authorizationUrl, tokenURL: p.tokenUrl, userProfileURL: p.profileUrl,
      scope: ['openid', 'profile', 'email'], state: true, pkce: true, sessionKey: loginSessionKey('google'),
    } as GoogleOptions, (_a: string, _r: string, profile: Profile, done: Done) =>
      verify({
        provider: 'google', id: profile.id, displayName: profile.displayName,
        pictureUrl: firstValue(profile.photos), email: firstValue(profile.emails),
      }, done)));
  }

  if (providers.wordpress) {
    const p = providers.wordpress;
    const strategy = new OAuth2Strategy({
      clientID: p.clientId, clientSecret: p.clientSecret, callbackURL: callbackURL('wordpress'),
      authorizationURL: p.authorizationUrl, tokenURL: p.tokenUrl,
      // No PKCE: WordPress.com's OAuth2 documentation lists no code_challenge parameter.
      scope: ['auth'], state: true, sessionKey: loginSessionKey('wordpress'),
    }, (_a: string, _r: string, profile: ProviderProfile, done: Done) => verify(profile, done));
    // WordPress.com's /me answers in its own shape; passport-oauth2 leaves userProfile to us.
    strategy.userProfile = function (accessToken, done) {
      this._oauth2.useAuthorizationHeaderforGET(true);
      this._oauth2.get(p.profileUrl, accessToken, (err, body) => {
        if (err) return done(new Error('WordPress.com profile request failed'));
        try {
          const me = JSON.parse(String(body));
          done(null, {
            provider: 'wordpress', id: String(me.ID ?? ''), displayName: me.display_name ?? me.username,
            pictureUrl: me.avatar_URL, profileUrl: me.profile_URL, email: me.email,
          });
        } catch {
          done(new Error('WordPress.com answered an unreadable profile'));
        }
      });
    };
    passport.use('wordpress', strategy);
  }

  // The session keeps only who it is; the row is read again on each request, so a change shows at once.
  passport.serializeUser<string>((account, done) => done(null, sessionKeyOf(account as Account)));
  passport.deserializeUser<string>((key, done) => {
    const who = parseSessionKey(key);
    const account = who?.kind === 'user' ? users.findById(who.id) : who ? commenters.findById(who.id) : undefined;
    done(null, account ?? false);
  });
  return passport;
}

export type AppPassport = ReturnType<typeof createPassport>;

export const enabledProviders = (providers: Providers) =>
  (['wordpress', 'twitter', 'facebook', 'google'] as const).filter((p) => providers[p]);

/** The origins a login sends the browser to, for the Content-Security-Policy's form-action. */
export const signInOrigins = (providers: Providers) =>
  [
    providers.twitter?.userAuthorizationUrl,
    providers.facebook?.authorizationUrl,
    providers.google?.authorizationUrl,
    providers.wordpress?.authorizationUrl,
  ].flatMap((url) => (url ? [new URL(url).origin] : []));
