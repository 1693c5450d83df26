import { isLoopbackHost } from '@claude-idp/core';
import { UsageError } from '../cli-exit';

// The values `watch` flags take: durations (`5s`, `30s`, `6h`), sizes (`1mb`) and a listen
// address (`:8080`, `127.0.0.1:8080`, `0.0.0.0:8080`, `[::1]:8080`). A unit is always required:
// a bare `5` would be read as milliseconds by some tools and as seconds by others.

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `5s`, `1.5m`, `6h`, `250ms`, `1d` → milliseconds, between `min` and `max`; anything else is a UsageError naming the flag. */
export function parseDuration(flag: string, value: string, bounds: { min: number; max: number }): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/i.exec(value.trim());
  const usage = (why: string) =>
    new UsageError(`${flag} ${why}; give a number and a unit: ms, s, m, h or d (e.g. 5s, 30s, 6h)`);
  if (!m) throw usage(`"${value}" is not a duration`);
  const ms = Math.round(Number(m[1]) * DURATION_UNITS[m[2]!.toLowerCase()]!);
  if (ms < bounds.min) throw usage(`${value} is below the minimum ${formatDuration(bounds.min)}`);
  if (ms > bounds.max) throw usage(`${value} is above the maximum ${formatDuration(bounds.max)}`);
  return ms;
}

/** Milliseconds as the largest whole unit that fits (`21600000` → `6h`, `1500` → `1.5s`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size) return `${Number((ms / size).toFixed(2))}${unit}`;
  }
  return `${ms}ms`;
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** `1mb`, `256kb`, `65536b` → bytes (binary units), between `min` and `max`. */
export function parseSize(flag: string, value: string, bounds: { min: number; max: number }): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)$/i.exec(value.trim());
  const usage = (why: string) => new UsageError(`${flag} ${why}; give a size with a unit: b, kb or mb (e.g. 1mb)`);
  if (!m) throw usage(`"${value}" is not a size`);
  const bytes = Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!);
  if (bytes < bounds.min) throw usage(`${value} is below the minimum ${bounds.min} bytes`);
  if (bytes > bounds.max) throw usage(`${value} is above the maximum ${bounds.max / 1024 / 1024}mb`);
  return bytes;
}

export interface ListenAddress {
  host: string;
  port: number;
  /** Not a loopback address: reachable from other machines. */
  exposed: boolean;
}

/**
 * `--listen [HOST]:PORT`. No host means 127.0.0.1 (loopback): reachable from other machines only
 * when a host says so (`0.0.0.0:8080`, or an interface's address). Port 0 picks a free port.
 */
export function parseListen(value: string, flag = '--listen'): ListenAddress {
  const v = value.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(v);
  const usage = (why: string) =>
    new UsageError(`${flag} ${why}; give [HOST]:PORT, e.g. :8080 (loopback), 127.0.0.1:8080 or 0.0.0.0:8080`);
  if (!m) throw usage(`"${value}" is not [HOST]:PORT`);
  const port = Number(m[3]);
  if (port > 65535) throw usage(`port ${port} is above 65535`);
  const host = m[1] ?? (m[2] || '127.0.0.1');
  if (!m[1] && !/^(?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+$/.test(host))
    throw usage(`"${host}" is not a host name or address`);
  return { host, port, exposed: !isLoopbackHost(host) };
}
