import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('starts with no variables at all: port 3000, ./data/blog.db, a localhost public URL', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databasePath).toMatch(/data\/blog\.db$/);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('takes PUBLIC_URL without its trailing slash, and DATABASE_PATH and PORT', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://blog.example.org/', TRUST_PROXY: 'loopback', DATABASE_PATH: '/tmp/x/b.db', PORT: '8080' });
    expect(config.publicUrl).toBe('https://blog.example.org');
    expect(config.databasePath).toBe('/tmp/x/b.db');
    expect(config.dataDir).toBe('/tmp/x');
    expect(config.port).toBe(8080);
  });

  it('names every bad variable and what it expects, in one message', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', PUBLIC_URL: 'blog.example.org' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="eighty"');
    expect(message).toContain('expected a port number');
    expect(message).toContain('PUBLIC_URL="blog.example.org"');
    expect(message).toContain('expected an absolute http(s) URL');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT="70000"/);
  });

  it('trusts X-Forwarded-For only as many hops as TRUST_PROXY says', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY="everyone": expected false, loopback/);
  });

  it('trusts a proxy by its address: loopback, or a list of addresses and subnets', () => {
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.2, 192.168.0.0/16,::1' }).trustProxy).toBe('10.0.0.2, 192.168.0.0/16,::1');
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY="10.0.0.0\/33"/);
    expect(() => loadConfig({ TRUST_PROXY: 'loopback,nonsense' })).toThrow(/TRUST_PROXY/);
  });

  it('listens on 127.0.0.1 unless HOST says otherwise, as a blog behind a proxy should', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('refuses an https PUBLIC_URL with no trusted proxy, in one line that says what to set', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'https://blog.example.org' })).toThrow(/^Invalid configuration: PUBLIC_URL="https:\/\/blog.example.org" is https.*TRUST_PROXY=loopback[^\n]*$/);
    expect(loadConfig({ PUBLIC_URL: 'https://blog.example.org', TRUST_PROXY: 'loopback' }).publicUrl).toBe('https://blog.example.org');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });
});

describe('loadConfig providers', () => {
  it('turns a provider on only when both halves of its credentials are set', () => {
    expect(loadConfig({}).providers).toEqual({});
    const config = loadConfig({ GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret' });
    expect(Object.keys(config.providers).filter((k) => config.providers[k as keyof typeof config.providers])).toEqual(['google']);
    expect(config.providers.google?.authorizationUrl).toBe('https://accounts.google.com/o/oauth2/v2/auth');
  });

  it('names the missing half of a credential pair', () => {
    expect(() => loadConfig({ TWITTER_CONSUMER_KEY: 'k' })).toThrow(/TWITTER_CONSUMER_SECRET: expected to be set together with TWITTER_CONSUMER_KEY/);
  });

  it('builds Facebook’s endpoints from the Graph API version, and takes overrides', () => {
    const config = loadConfig({ FACEBOOK_APP_ID: 'a', FACEBOOK_APP_SECRET: 'b', FACEBOOK_GRAPH_API_VERSION: 'v25.0', FACEBOOK_TOKEN_URL: 'http://127.0.0.1:9/token' });
    expect(config.providers.facebook?.profileUrl).toBe('https://graph.facebook.com/v25.0/me');
    expect(config.providers.facebook?.tokenUrl).toBe('http://127.0.0.1:9/token');
    expect(() => loadConfig({ FACEBOOK_GRAPH_API_VERSION: '3.2' })).toThrow(/expected a version like v24.0/);
  });
});
