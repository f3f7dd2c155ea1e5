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
    const config = loadConfig({ PUBLIC_URL: 'https://blog.example.org/', DATABASE_PATH: '/tmp/x/b.db', PORT: '8080' });
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

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });
});
