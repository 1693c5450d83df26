import { redactText } from '@claude-idp/core';
import type { Io } from '../cli-io';

export type LogFormat = 'text' | 'json';
export type WatchLog = (line: string, fields?: Record<string, unknown>) => void;

/**
 * `watch`'s log on stdout, one line per entry: `2026-12-06T21:00:00.000Z message key=value` or
 * one JSON object (`{"time","msg",...fields}`) for log collectors. Every line goes through core's
 * redaction (registered secrets and token patterns) as a last guard: what is logged is already
 * written to carry no secret.
 */
export function createWatchLog(io: Io, format: LogFormat, clock: () => Date = () => new Date()): WatchLog {
  return (line, fields = {}) => {
    const time = clock().toISOString();
    const text =
      format === 'json'
        ? JSON.stringify({ time, msg: line, ...fields })
        : `${time} ${line}${Object.keys(fields).length ? ` ${textFields(fields)}` : ''}`;
    io.stdout(`${redactText(text).replace(/[\r\n]+/g, ' ')}\n`);
  };
}

function textFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
}
