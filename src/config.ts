import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { trimTrailing } from './text.js';

/** Every environment variable the blog reads, validated at once; main.ts hands the environment in. */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const absoluteHttpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^/]+/i.test(v) && URL.canParse(v), {
    message: 'expected an absolute http(s) URL, e.g. https://blog.example.org',
  })
  .transform((v) => trimTrailing(v, '/'));

/** `false`, a number of hops, or proxy-addr's names and addresses: loopback, linklocal, uniquelocal, IPs, CIDRs. */
export type TrustProxy = false | number | string;
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyAddress = (entry: string) => {
  const [address, bits, extra] = entry.split('/');
  const family = net.isIP(address);
  return PROXY_NAMES.includes(entry) || (family !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))));
};
const isProxySetting = (v: string) => /^(true|false|\d{1,2})$/.test(v) || v.split(',').every((entry) => isProxyAddress(entry.trim()));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'expected development, production or test' }).default('development'),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535, 'expected a port number from 0 to 65535').default(3000),
  // Private to this machine unless asked: the blog is meant to sit behind a reverse proxy (as Ghost does).
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: absoluteHttpUrl.optional(),
  DATABASE_PATH: z.string().min(1, 'expected a file path').default('./data/blog.db'),
  UPLOADS_DIR: z.string().min(1, 'expected a folder path').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'expected one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  // Whose X-Forwarded-* to believe: `loopback` (a proxy on this machine, the safe choice), a list of proxy
  // addresses or subnets, or a number of hops (which believes whoever connects first when the port is public).
  TRUST_PROXY: z
    .string()
    .refine(isProxySetting, 'expected false, loopback, proxy addresses (e.g. 10.0.0.2,10.0.0.0/8), true (one proxy) or a number of proxies')
    .transform((v): TrustProxy => (v === 'false' || v === '0' ? false : v === 'true' ? 1 : /^\d+$/.test(v) ? Number(v) : v))
    .default(false),
  SESSION_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  // The anonymous page cache; off only to measure the cost of a real render.
  PAGE_CACHE: z.enum(['on', 'off'], { message: 'expected on or off' }).default('on'),
  // Benchmarks only: no comment flood control and no comment rate limit, so one client can post all it wants.
  BENCHMARK_UNLIMITED_COMMENTS: booleanFlag.default(false),
  TWITTER_CONSUMER_KEY: z.string().optional(),
  TWITTER_CONSUMER_SECRET: z.string().optional(),
  TWITTER_SKIP_EXTENDED_PROFILE: booleanFlag.default(false),
  TWITTER_REQUEST_TOKEN_URL: absoluteHttpUrl.default('https://api.twitter.com/oauth/request_token'),
  TWITTER_ACCESS_TOKEN_URL: absoluteHttpUrl.default('https://api.twitter.com/oauth/access_token'),
  TWITTER_USER_AUTHORIZATION_URL: absoluteHttpUrl.default('https://api.twitter.com/oauth/authenticate'),
  TWITTER_USER_PROFILE_URL: absoluteHttpUrl.default('https://api.twitter.com/1.1/account/verify_credentials.json'),
  FACEBOOK_APP_ID: z.string().optional(),
  FACEBOOK_APP_SECRET: z.string().optional(),
  FACEBOOK_GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'expected a version like v24.0').default('v24.0'),
  FACEBOOK_AUTHORIZATION_URL: absoluteHttpUrl.optional(),
  FACEBOOK_TOKEN_URL: absoluteHttpUrl.optional(),
  FACEBOOK_PROFILE_URL: absoluteHttpUrl.optional(),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  GOOGLE_AUTHORIZATION_URL: absoluteHttpUrl.default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_TOKEN_URL: absoluteHttpUrl.default('https://oauth2.googleapis.com/token'),
  GOOGLE_USER_PROFILE_URL: absoluteHttpUrl.default('https://openidconnect.googleapis.com/v1/userinfo'),
  WORDPRESS_CLIENT_ID: z.string().optional(),
  WORDPRESS_CLIENT_SECRET: z.string().optional(),
  WORDPRESS_AUTHORIZATION_URL: absoluteHttpUrl.default('https://public-api.wordpress.com/oauth2/authorize'),
  WORDPRESS_TOKEN_URL: absoluteHttpUrl.default('https://public-api.wordpress.com/oauth2/token'),
  WORDPRESS_PROFILE_URL: absoluteHttpUrl.default('https://public-api.wordpress.com/rest/v1.1/me'),
  // Email (issue 13): nodemailer takes the URL whole, credentials included.
  SMTP_URL: z.string().refine((v) => /^smtps?:\/\/[^/]/i.test(v) && URL.canParse(v), 'expected smtp://user:pass@host:587 or smtps://user:pass@host:465').optional(),
  MAIL_FROM: z.string().refine((v) => v.includes('@'), 'expected an address, e.g. blog@example.org or "My Blog" <blog@example.org>').optional(),
  // Development: each message written as an .eml file into this folder instead of sent.
  MAIL_DIR: z.string().min(1, 'expected a folder path').optional(),
  // Tests only: fetching Fediverse documents and Mastodon instances may reach loopback and private addresses.
  FEDIVERSE_ALLOW_PRIVATE_ADDRESS: booleanFlag.default(false),
});

type Env = z.infer<typeof envSchema>;

export interface OAuthEndpoints {
  clientId: string;
  clientSecret: string;
  authorizationUrl: string;
  tokenUrl: string;
  profileUrl: string;
}

export interface TwitterEndpoints {
  consumerKey: string;
  consumerSecret: string;
  requestTokenUrl: string;
  accessTokenUrl: string;
  userAuthorizationUrl: string;
  userProfileUrl: string;
  skipExtendedProfile: boolean;
}

/** Login providers whose credentials are set; a provider without them is off. */
export interface Providers {
  twitter?: TwitterEndpoints;
  facebook?: OAuthEndpoints;
  google?: OAuthEndpoints;
  wordpress?: OAuthEndpoints;
}

/** Each provider needs both halves of its credentials, or neither. */
const CREDENTIAL_PAIRS = [
  ['TWITTER_CONSUMER_KEY', 'TWITTER_CONSUMER_SECRET'],
  ['FACEBOOK_APP_ID', 'FACEBOOK_APP_SECRET'],
  ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'],
  ['WORDPRESS_CLIENT_ID', 'WORDPRESS_CLIENT_SECRET'],
] as const;

function providersFrom(e: Env): Providers {
  const graph = (host: string, path: string) => `https://${host}/${e.FACEBOOK_GRAPH_API_VERSION}${path}`;
  return {
    twitter: e.TWITTER_CONSUMER_KEY && e.TWITTER_CONSUMER_SECRET ? {
      consumerKey: e.TWITTER_CONSUMER_KEY,
      consumerSecret: e.TWITTER_CONSUMER_SECRET,
      requestTokenUrl: e.TWITTER_REQUEST_TOKEN_URL,
      accessTokenUrl: e.TWITTER_ACCESS_TOKEN_URL,
      userAuthorizationUrl: e.TWITTER_USER_AUTHORIZATION_URL,
      userProfileUrl: e.TWITTER_USER_PROFILE_URL,
      skipExtendedProfile: e.TWITTER_SKIP_EXTENDED_PROFILE,
    } : undefined,
    facebook: e.FACEBOOK_APP_ID && e.FACEBOOK_APP_SECRET ? {
      clientId: e.FACEBOOK_APP_ID,
      clientSecret: e.FACEBOOK_APP_SECRET,
      authorizationUrl: e.FACEBOOK_AUTHORIZATION_URL ?? graph('www.facebook.com', '/dialog/oauth'),
      tokenUrl: e.FACEBOOK_TOKEN_URL ?? graph('graph.facebook.com', '/oauth/access_token'),
      profileUrl: e.FACEBOOK_PROFILE_URL ?? graph('graph.facebook.com', '/me'),
    } : undefined,
    google: e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET ? {
      clientId: e.GOOGLE_CLIENT_ID,
      clientSecret: e.GOOGLE_CLIENT_SECRET,
      authorizationUrl: e.GOOGLE_AUTHORIZATION_URL,
      tokenUrl: e.GOOGLE_TOKEN_URL,
      profileUrl: e.GOOGLE_USER_PROFILE_URL,
    } : undefined,
    wordpress: e.WORDPRESS_CLIENT_ID && e.WORDPRESS_CLIENT_SECRET ? {
      clientId: e.WORDPRESS_CLIENT_ID,
      clientSecret: e.WORDPRESS_CLIENT_SECRET,
      authorizationUrl: e.WORDPRESS_AUTHORIZATION_URL,
      tokenUrl: e.WORDPRESS_TOKEN_URL,
      profileUrl: e.WORDPRESS_PROFILE_URL,
    } : undefined,
  };
}

/** Where messages go: an SMTP server, a folder of .eml files (development), or nowhere (email off). */
export type MailTransportConfig = { readonly smtpUrl: string } | { readonly dir: string };

export interface MailConfig {
  readonly transport?: MailTransportConfig;
  /** The From address; unset, the site's title at wordpress@ the public host (as WordPress does). */
  readonly from?: string;
}

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Absolute base for links in feeds, sitemaps and canonical tags, without a trailing slash. */
  readonly publicUrl: string;
  readonly databasePath: string;
  /** Where the database, the generated session secret and uploads live. */
  readonly dataDir: string;
  /** Uploaded images, served at /uploads/. */
  readonly uploadsDir: string;
  readonly logLevel: string;
  /** false, a number of proxy hops, or the proxies' addresses (Express's `trust proxy`). */
  readonly trustProxy: TrustProxy;
  /** Signs cookies and form tokens; main.ts generates one into the data folder when unset. */
  readonly sessionSecret?: string;
  readonly providers: Providers;
  /** Whether anonymous pages are kept and served from memory. */
  readonly pageCache: boolean;
  /** Benchmarks only: comment flood control and the comment rate limit are off. */
  readonly unlimitedComments: boolean;
  readonly mail: MailConfig;
  readonly fediverse: {
    /** Tests only: remote documents and instances on loopback or private addresses may be fetched (refused otherwise). */
    readonly allowPrivateAddress: boolean;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  const lines = parsed.success ? [] : parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
  });
  for (const [id, secret] of CREDENTIAL_PAIRS) {
    if (Boolean(present[id]) !== Boolean(present[secret])) {
      lines.push(`${present[id] ? secret : id}: expected to be set together with ${present[id] ? id : secret}`);
    }
  }
  if (present.SMTP_URL && present.MAIL_DIR) lines.push('MAIL_DIR: expected either SMTP_URL (send) or MAIL_DIR (write .eml files), not both');
  if (!parsed.success || lines.length > 0) throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  const e = parsed.data;
  // The blog speaks plain http: an https address means a proxy terminates TLS, and without trusting it the
  // blog never sees https, never sends its Secure session cookie back, and no login can ever work.
  if (e.PUBLIC_URL?.startsWith('https:') && e.TRUST_PROXY === false) {
    throw new ConfigError(`Invalid configuration: PUBLIC_URL="${e.PUBLIC_URL}" is https, which needs the TLS proxy in front to be trusted: set TRUST_PROXY=loopback (a proxy on this machine) or its address`);
  }
  const databasePath = e.DATABASE_PATH === ':memory:' ? ':memory:' : path.resolve(e.DATABASE_PATH);
  const dataDir = databasePath === ':memory:' ? path.resolve('data') : path.dirname(databasePath);
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    databasePath,
    dataDir,
    uploadsDir: path.resolve(e.UPLOADS_DIR ?? path.join(dataDir, 'uploads')),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    sessionSecret: e.SESSION_SECRET,
    providers: Object.freeze(providersFrom(e)),
    pageCache: e.PAGE_CACHE === 'on',
    unlimitedComments: e.BENCHMARK_UNLIMITED_COMMENTS,
    mail: Object.freeze({
      transport: e.SMTP_URL ? { smtpUrl: e.SMTP_URL } : e.MAIL_DIR ? { dir: path.resolve(e.MAIL_DIR) } : undefined,
      from: e.MAIL_FROM,
    }),
    fediverse: Object.freeze({ allowPrivateAddress: e.FEDIVERSE_ALLOW_PRIVATE_ADDRESS }),
  });
}
