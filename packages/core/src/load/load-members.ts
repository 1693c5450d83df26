import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../errors/input-error';
import { MembersSchema, type Member } from '../schemas/members';
import { normalizeEmail } from '../model/email';
import { readSource } from './read-source';
import { zodIssues } from './issues';

const COLUMNS = ['email', 'role', 'seatTier', 'orgId', 'status', 'id'];

/**
 * Loads members from a JSON array or a CSV with a header row naming SPEC §4's columns
 * (`email,role,seatTier,orgId,status`). Header names match case-insensitively, and `seat_tier` /
 * `org_id` are accepted. Each bad row is reported as `[row N].column` (CSV) or `[i].field` (JSON).
 */
export function loadMembers(pathOrText: string, options: { source?: string; format?: 'json' | 'csv' } = {}): Member[] {
  const { text, source } = readSource(pathOrText, 'members', { source: options.source, text: options.format ? pathOrText.includes('\n') || /^\s*[[{]/.test(pathOrText) : undefined });
  return parseMembers(text, source, options.format);
}

export function parseMembers(text: string, source = '<members>', format?: 'json' | 'csv'): Member[] {
  const fmt = format ?? (/^\s*[[{]/.test(text) ? 'json' : 'csv');
  let data: unknown;
  if (fmt === 'json') {
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new InputError({ source, issues: [{ path: '', expected: 'a JSON array of members', received: (error as Error).message }], cause: error });
    }
    if (data && typeof data === 'object' && !Array.isArray(data) && Array.isArray((data as { members?: unknown }).members)) {
      data = (data as { members: unknown[] }).members;
    }
  } else {
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(text, {
        columns: (header: string[]) => header.map((h) => canonicalColumn(h, source)),
        skip_empty_lines: true,
        trim: true,
        bom: true,
      }) as Record<string, string>[];
    } catch (error) {
      if (InputError.isInstance(error)) throw error;
      const e = error as Error & { lines?: number };
      throw new InputError({ source, issues: [{ path: e.lines ? `line ${e.lines}` : '', expected: 'CSV with a header row (email,role,...)', received: e.message }], cause: error });
    }
    if (rows.length > 0 && !('email' in rows[0]!)) {
      throw new InputError({ source, issues: [{ path: 'header', expected: 'an "email" column', received: Object.keys(rows[0]!).join(',') }] });
    }
    data = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')));
  }
  const parsed = MembersSchema.safeParse(data);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, data);
    throw new InputError({ source, issues: fmt === 'csv' ? issues.map((i) => ({ ...i, path: i.path.replace(/^\[(\d+)\]/, (_, n: string) => `[row ${Number(n) + 2}]`) })) : issues });
  }
  const bad: { path: string; expected: string; received: string }[] = [];
  parsed.data.forEach((m, i) => {
    if (!normalizeEmail(m.email)) bad.push({ path: fmt === 'csv' ? `[row ${i + 2}].email` : `[${i}].email`, expected: 'an email address', received: JSON.stringify(m.email) });
  });
  if (bad.length) throw new InputError({ source, issues: bad });
  return parsed.data.map((m) => ({ ...m, role: m.role.toLowerCase(), seatTier: m.seatTier?.toLowerCase() }));
}

function canonicalColumn(header: string, source: string): string {
  const h = header.trim().replace(/^\uFEFF/, '');
  const key = h.toLowerCase().replace(/[_\s-]/g, '');
  const found = COLUMNS.find((c) => c.toLowerCase() === key);
  if (found) return found;
  if (!h) throw new InputError({ source, issues: [{ path: 'header', expected: `column names among ${COLUMNS.join(', ')}`, received: 'an empty column name' }] });
  return h;
}
