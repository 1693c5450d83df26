import { ConfigurationError } from '@claude-idp/core';
import { describe, expect, it } from 'vitest';
import { resolveGoogleSettings } from './google-settings';

const env = { GOOGLE_ACCESS_TOKEN: 'ya29.test-token' };

describe('google settings: one baseUrl name', () => {
  it('baseUrl, then the deprecated apiUrl, then GOOGLE_API_URL, then admin.googleapis.com', () => {
    expect(resolveGoogleSettings({ env, baseUrl: 'https://proxy.example/' }).apiUrl).toBe('https://proxy.example');
    expect(resolveGoogleSettings({ env, apiUrl: 'https://old.example' }).apiUrl).toBe('https://old.example');
    expect(resolveGoogleSettings({ env: { ...env, GOOGLE_API_URL: 'https://env.example' } }).apiUrl).toBe(
      'https://env.example',
    );
    expect(resolveGoogleSettings({ env }).apiUrl).toBe('https://admin.googleapis.com');
  });
  it('two different URLs, or a path the client would drop, are refused naming the setting', () => {
    expect(() => resolveGoogleSettings({ env, baseUrl: 'https://a.example', apiUrl: 'https://b.example' })).toThrow(
      /baseUrl and apiUrl/,
    );
    const error = (() => {
      try {
        resolveGoogleSettings({ env, baseUrl: 'https://a.example/prefix' });
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigurationError.isInstance(error) && error.setting).toBe('baseUrl');
  });
});
