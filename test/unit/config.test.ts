import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('needs no setting: port 3000 on 127.0.0.1, data in ./data, no proxy trusted', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      trustProxy: false,
      maxUploadMb: 25,
    });
    expect(config.databaseFile).toMatch(/\/data\/masthead\.sqlite$/);
  });

  it('reads the proxies to trust as "true" or a list of addresses', () => {
    expect(loadConfig({ MASTHEAD_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ MASTHEAD_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
  });

  it('reads a CDN purge endpoint and its authentication header', () => {
    expect(loadConfig({}).cdnPurge).toBeNull();
    expect(
      loadConfig({
        MASTHEAD_CDN_PURGE_URL: 'https://api.fastly.com/service/abc/purge',
        MASTHEAD_CDN_PURGE_HEADER: 'Fastly-Key: s3cr:et',
      }).cdnPurge,
    ).toEqual({
      url: 'https://api.fastly.com/service/abc/purge',
      header: ['Fastly-Key', 's3cr:et'],
    });
    expect(() => loadConfig({ MASTHEAD_CDN_PURGE_HEADER: 'no colon here' })).toThrow(
      /MASTHEAD_CDN_PURGE_HEADER: a header as "Name: value"/,
    );
  });

  it('lists every bad variable at once', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', MASTHEAD_PUBLIC_URL: 'not a url', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/MASTHEAD_PUBLIC_URL/);
    expect(message).toMatch(/LOG_LEVEL/);
  });
});
