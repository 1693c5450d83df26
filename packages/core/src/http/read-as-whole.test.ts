import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../errors/api-call-error';
import { ConfigurationError } from '../errors/configuration-error';
import { IncompleteReadError } from '../errors/incomplete-read-error';
import { resolveBaseUrl } from './base-url';
import { delay } from './delay';
import { readAsWhole } from './read-as-whole';

describe('readAsWhole', () => {
  it('the first failing part fails the read and stops its siblings', async () => {
    let sibling: AbortSignal | undefined;
    const boom = new ApiCallError({
      vendor: 'v',
      url: 'https://v.example/a',
      status: 500,
      message: 'boom',
      isRetryable: false,
    });
    const error = await readAsWhole({ vendor: 'v' }, (signal) => {
      sibling = signal;
      return Promise.all([delay(10_000, signal), Promise.reject(boom)]);
    }).catch((e: unknown) => e);
    expect(error).toBe(boom);
    expect(sibling?.aborted).toBe(true);
  });

  it("the caller's abort comes out as one IncompleteReadError (aborted), whatever a part threw", async () => {
    const caller = new AbortController();
    const pending = readAsWhole({ vendor: 'v', abortSignal: caller.signal }, (signal) => delay(10_000, signal)).catch(
      (e: unknown) => e,
    );
    caller.abort();
    const error = await pending;
    expect(IncompleteReadError.isInstance(error) && error.reason).toBe('aborted');
    await expect(readAsWhole({ vendor: 'v', abortSignal: caller.signal }, async () => 1)).rejects.toThrow(/aborted/);
  });

  it('returns the result and leaves no listener behind', async () => {
    const caller = new AbortController();
    expect(await readAsWhole({ vendor: 'v', abortSignal: caller.signal }, async () => 42)).toBe(42);
  });
});

describe('resolveBaseUrl', () => {
  const env = { X_URL: 'https://env.example' };
  it('baseUrl, then the deprecated alias, then the variable, then the default', () => {
    expect(
      resolveBaseUrl({
        baseUrl: 'https://a.example/',
        alias: { name: 'orgUrl', value: undefined },
        env,
        envVar: 'X_URL',
      }),
    ).toEqual({ url: 'https://a.example', setting: 'baseUrl' });
    expect(
      resolveBaseUrl({
        baseUrl: undefined,
        alias: { name: 'orgUrl', value: 'https://b.example' },
        env,
        envVar: 'X_URL',
      }).setting,
    ).toBe('orgUrl');
    expect(resolveBaseUrl({ baseUrl: undefined, env, envVar: 'X_URL' }).url).toBe('https://env.example');
    expect(resolveBaseUrl({ baseUrl: undefined, env: {}, envVar: 'X_URL', fallback: 'https://d.example' }).url).toBe(
      'https://d.example',
    );
  });
  it('refuses two different URLs, and names the setting of a bad one', () => {
    expect(() =>
      resolveBaseUrl({
        baseUrl: 'https://a.example',
        alias: { name: 'orgUrl', value: 'https://b.example' },
        env,
        envVar: 'X_URL',
      }),
    ).toThrow(/baseUrl and orgUrl/);
    const error = (() => {
      try {
        resolveBaseUrl({ baseUrl: 'http://a.example', env, envVar: 'X_URL' });
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigurationError.isInstance(error) && error.setting).toBe('baseUrl');
  });
});
