import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-exit';
import { formatDuration, parseDuration, parseListen, parseSize } from './watch-flags';

const B = { min: 1, max: 7 * 86_400_000 };

describe('parseDuration', () => {
  it.each([
    ['5s', 5000],
    ['30s', 30_000],
    ['1.5m', 90_000],
    ['6h', 21_600_000],
    ['250ms', 250],
    ['1d', 86_400_000],
    [' 10 S ', 10_000],
  ])('%s → %d ms', (v, ms) => expect(parseDuration('--quiet-period', v, B)).toBe(ms));

  it.each(['5', '', 's', '-5s', '5 seconds', '5sec', '1e3s', '0x10s', '5s5', 'NaNs'])(
    'refuses %j naming the flag',
    (v) => {
      expect(() => parseDuration('--max-wait', v, B)).toThrow(UsageError);
      expect(() => parseDuration('--max-wait', v, B)).toThrow(/^--max-wait /);
    },
  );

  it('checks the bounds', () => {
    expect(() => parseDuration('--full-read-every', '30s', { min: 60_000, max: B.max })).toThrow(
      /--full-read-every 30s is below the minimum 1m/,
    );
    expect(() => parseDuration('--quiet-period', '8d', B)).toThrow(/above the maximum 7d/);
    expect(() => parseDuration('--quiet-period', '0s', B)).toThrow(/below the minimum/);
  });

  it('formats back', () => {
    expect(formatDuration(21_600_000)).toBe('6h');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(20)).toBe('20ms');
  });
});

describe('parseSize', () => {
  it.each([
    ['1mb', 1024 * 1024],
    ['256kb', 262_144],
    ['4096b', 4096],
    ['1MB', 1024 * 1024],
  ])('%s → %d bytes', (v, n) => expect(parseSize('--max-body', v, { min: 1024, max: 64 * 1024 * 1024 })).toBe(n));
  it.each(['1', 'mb', '1gb', '-1mb', '1 megabyte'])('refuses %j', (v) =>
    expect(() => parseSize('--max-body', v, { min: 1024, max: 64 * 1024 * 1024 })).toThrow(/^--max-body /),
  );
  it('checks the bounds', () =>
    expect(() => parseSize('--max-body', '10b', { min: 1024, max: 1 << 26 })).toThrow(/below the minimum 1024/));
});

describe('parseListen', () => {
  it('binds loopback without a host', () =>
    expect(parseListen(':8080')).toEqual({ host: '127.0.0.1', port: 8080, exposed: false }));
  it('takes a host', () => {
    expect(parseListen('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080, exposed: true });
    expect(parseListen('localhost:9000')).toEqual({ host: 'localhost', port: 9000, exposed: false });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0, exposed: false });
    expect(parseListen('[::]:80')).toEqual({ host: '::', port: 80, exposed: true });
    expect(parseListen('10.0.0.5:8443').exposed).toBe(true);
  });
  it.each(['8080', ':', ':99999', 'host:', 'a b:80', 'http://x:80', '::1:80'])('refuses %j', (v) =>
    expect(() => parseListen(v)).toThrow(/^--listen /),
  );
});
