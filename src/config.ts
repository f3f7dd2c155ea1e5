import path from 'node:path';
import { z } from 'zod';

/** Every environment variable the blog reads, validated at once; main.ts hands the environment in. */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const absoluteHttpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^/]+/i.test(v) && URL.canParse(v), {
    message: 'expected an absolute http(s) URL, e.g. https://blog.example.org',
  })
  .transform((v) => v.replace(/\/+$/, ''));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { message: 'expected development, production or test' }).default('development'),
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535, 'expected a port number from 0 to 65535').default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: absoluteHttpUrl.optional(),
  DATABASE_PATH: z.string().min(1, 'expected a file path').default('./data/blog.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'expected one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  TRUST_PROXY: booleanFlag.default(false),
  SESSION_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
});

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Absolute base for links in feeds, sitemaps and canonical tags, without a trailing slash. */
  readonly publicUrl: string;
  readonly databasePath: string;
  /** Where the database, the generated session secret and uploads live. */
  readonly dataDir: string;
  readonly logLevel: string;
  readonly trustProxy: boolean;
  /** Signs cookies and form tokens; main.ts generates one into the data folder when unset. */
  readonly sessionSecret?: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const databasePath = e.DATABASE_PATH === ':memory:' ? ':memory:' : path.resolve(e.DATABASE_PATH);
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    databasePath,
    dataDir: databasePath === ':memory:' ? path.resolve('data') : path.dirname(databasePath),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    sessionSecret: e.SESSION_SECRET,
  });
}
