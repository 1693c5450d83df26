import type { z } from 'zod';
import type { InputIssue } from '../errors/input-error';

/** `organizations[0].provisioning.mode` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

function shorten(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v == null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** zod issues as InputIssues: each with its path, what was expected and what was there. */
export function zodIssues(error: z.ZodError, input: unknown): InputIssue[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const got = valueAt(input, issue.path);
    let expected = issue.message;
    if (issue.code === 'invalid_type') expected = `${issue.expected}`;
    else if (issue.code === 'invalid_value') expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    else if (issue.code === 'unrecognized_keys') expected = `no unknown keys (${issue.keys.join(', ')})`;
    return { path, expected, received: got === undefined ? 'nothing' : shorten(got) };
  });
}
