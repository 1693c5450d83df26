import { z } from 'zod';
import type { InputIssue } from '../errors/input-error';
import { didYouMean } from './did-you-mean';

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
    s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
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

/**
 * The keys an object schema declares at `path` inside `schema` (through optionals, arrays,
 * records, pipes and unions), for "did you mean" on an unknown key; empty when not an object.
 */
export function knownKeysAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] {
  const s: unknown = schema;
  const step = (node: unknown, key: PropertyKey | undefined): unknown[] => {
    if (node instanceof z.ZodOptional || node instanceof z.ZodNullable || node instanceof z.ZodDefault)
      return step(node.unwrap(), key);
    if (node instanceof z.ZodPipe) return step(node.in, key);
    if (node instanceof z.ZodUnion) return (node.options as unknown[]).flatMap((o) => step(o, key));
    if (key === undefined) return [node];
    if (node instanceof z.ZodObject) return key in node.shape ? [node.shape[key as string]] : [];
    if (node instanceof z.ZodArray) return typeof key === 'number' ? [node.element] : [];
    if (node instanceof z.ZodRecord) return [node.valueType];
    return [];
  };
  let nodes: unknown[] = [s];
  for (const p of path) nodes = nodes.flatMap((n) => step(n, p));
  const keys = new Set<string>();
  for (const n of nodes.flatMap((x) => step(x, undefined)))
    if (n instanceof z.ZodObject) for (const k of Object.keys(n.shape)) keys.add(k);
  return [...keys];
}

/** "unknown key `seat`; did you mean `seats`?" (or the keys allowed there, when none is close). */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const guess = didYouMean(key, known);
  if (guess) return `unknown key \`${key}\`; did you mean \`${guess}\`?`;
  return known.length
    ? `unknown key \`${key}\`; the keys allowed here are ${known.map((k) => `\`${k}\``).join(', ')}`
    : `unknown key \`${key}\``;
}

/**
 * zod issues as InputIssues: each with its path, what was expected and what was there. With the
 * schema, an unknown key is one issue per key naming the closest valid key.
 */
export function zodIssues(error: z.ZodError, input: unknown, schema?: z.ZodType): InputIssue[] {
  return error.issues.flatMap((issue): InputIssue[] => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        expected: known.length ? `one of the keys ${known.join(', ')}` : 'no unknown keys',
        received: 'an unknown key',
        message: unknownKeyMessage(key, known),
      }));
    }
    const got = valueAt(input, issue.path);
    let expected = issue.message;
    if (issue.code === 'invalid_type') expected = `${issue.expected}`;
    else if (issue.code === 'invalid_value')
      expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    return [{ path, expected, received: got === undefined ? 'nothing' : shorten(got) }];
  });
}
