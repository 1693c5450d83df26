import { parseDocument } from 'yaml';
import { InputError } from '../errors/input-error';
import { OrgConfigSchema, type OrgConfig } from '../schemas/config';
import { readSource } from './read-source';
import { zodIssues } from './issues';

/**
 * Loads an `OrgConfig` from a JSON or YAML file path (or the text itself). Every problem is an
 * `InputError` naming the file, the path inside it and what was expected. YAML is a superset of
 * JSON, so one parser serves both.
 */
export function loadOrgConfig(pathOrText: string, options: { source?: string } = {}): OrgConfig {
  const { text, source } = readSource(pathOrText, 'config', { source: options.source });
  return parseOrgConfig(text, source);
}

export function parseOrgConfig(text: string, source = '<config>'): OrgConfig {
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
  let data: unknown;
  try {
    // Resolving aliases can still fail after a clean parse (an alias to an anchor never set).
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new InputError({ source, issues: [{ path: '', expected: 'valid YAML or JSON', received: (error as Error).message }], cause: error });
  }
  const parsed = OrgConfigSchema.safeParse(data);
  if (!parsed.success) throw new InputError({ source, issues: zodIssues(parsed.error, data) });
  return parsed.data;
}
