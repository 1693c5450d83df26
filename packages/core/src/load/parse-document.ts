import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors/input-error';
import { zodIssues } from './issues';

/**
 * YAML or JSON text (YAML is a superset of JSON) to plain data; any problem, including one that
 * only shows when aliases are resolved, is an InputError naming the source and the line.
 */
export function parseDocumentText(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new InputError({
      source,
      issues: [{ path: where, expected: 'valid YAML or JSON', received: e.code }],
      message: `${source}: not valid YAML/JSON${where ? ` at ${where}` : ''}: ${e.message.split('\n')[0]}`,
    });
  }
  try {
    // Resolving aliases can still fail after a clean parse (an alias to an anchor never set).
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError({
      source,
      issues: [{ path: '', expected: 'valid YAML or JSON', received: (error as Error).message }],
      cause: error,
    });
  }
}

/** Parses YAML/JSON text against a zod schema: the value, or an InputError listing every path that is wrong. */
export function parseDocumentWith<S extends z.ZodType>(schema: S, text: string, source: string): z.output<S> {
  const data = parseDocumentText(text, source);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new InputError({ source, issues: zodIssues(parsed.error, data, schema) });
  return parsed.data;
}
