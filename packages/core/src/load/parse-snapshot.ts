import { InputError } from '../errors/input-error';
import { DirectorySnapshotSchema, type DirectorySnapshot } from '../schemas/snapshot';
import { readSource } from './read-source';
import { zodIssues } from './issues';

/** Parses a saved `DirectorySnapshot` (JSON text or object), checking its schema version first. */
export function parseSnapshot(json: string | unknown, source = '<snapshot>'): DirectorySnapshot {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (error) {
      throw new InputError({
        source,
        issues: [{ path: '', expected: 'a JSON snapshot', received: (error as Error).message }],
        cause: error,
      });
    }
  }
  const version = data && typeof data === 'object' ? (data as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== undefined && version !== 1) {
    throw new InputError({
      source,
      issues: [
        {
          path: 'schemaVersion',
          expected: '1 (this version of claude-idp reads snapshot schema 1)',
          received: JSON.stringify(version),
        },
      ],
    });
  }
  const parsed = DirectorySnapshotSchema.safeParse(data);
  if (!parsed.success) throw new InputError({ source, issues: zodIssues(parsed.error, data) });
  return parsed.data;
}

export function loadSnapshot(path: string): DirectorySnapshot {
  const { text, source } = readSource(path, 'snapshot', { text: false });
  return parseSnapshot(text, source);
}
