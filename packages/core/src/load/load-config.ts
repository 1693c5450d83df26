import { OrgConfigSchema, type OrgConfig } from '../schemas/config';
import { readSource } from './read-source';
import { parseDocumentWith } from './parse-document';

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
  return parseDocumentWith(OrgConfigSchema, text, source);
}
