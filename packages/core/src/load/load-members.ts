import { parse as parseCsv } from 'csv-parse/sync';
import { InputError, type InputIssue } from '../errors/input-error';
import { MembersSchema, type Member } from '../schemas/members';
import { normalizeEmail } from '../model/email';
import { readSource } from './read-source';
import { unknownKeyMessage, zodIssues } from './issues';

const COLUMNS = ['email', 'role', 'seatTier', 'orgId', 'status', 'id'];

/**
 * Loads members from a JSON array or a CSV with a header row naming SPEC §4's columns
 * (`email,role,seatTier,orgId,status`). Header names match case-insensitively, and `seat_tier` /
 * `org_id` are accepted. Each bad row is reported as `[row N].column` (CSV) or `[i].field` (JSON).
 */
export function loadMembers(pathOrText: string, options: { source?: string; format?: 'json' | 'csv' } = {}): Member[] {
  const { text, source } = readSource(pathOrText, 'members', {
    source: options.source,
    text: options.format ? pathOrText.includes('\n') || /^\s*[[{]/.test(pathOrText) : undefined,
  });
  return parseMembers(text, source, options.format);
}

export function parseMembers(text: string, source = '<members>', format?: 'json' | 'csv'): Member[] {
  const fmt = format ?? (/^\s*[[{]/.test(text) ? 'json' : 'csv');
  const data = fmt === 'json' ? membersJson(text, source) : membersCsv(text, source);
  // Enumerated values match case-insensitively (`Active`, `Owner`), as the header names do.
  const rows = Array.isArray(data)
    ? data.map((r) =>
        r && typeof r === 'object' && typeof (r as { status?: unknown }).status === 'string'
          ? { ...r, status: (r as { status: string }).status.toLowerCase() }
          : r,
      )
    : data;
  const parsed = MembersSchema.safeParse(rows);
  if (!parsed.success) {
    const issues = onceForEveryRow(zodIssues(parsed.error, rows, MembersSchema));
    throw new InputError({
      source,
      issues:
        fmt === 'csv'
          ? issues.map((i) => ({
              ...i,
              path: i.path.replace(/^\[(\d+)\]/, (_, n: string) => `[row ${Number(n) + 2}]`),
            }))
          : issues,
    });
  }
  const bad: { path: string; expected: string; received: string }[] = [];
  parsed.data.forEach((m, i) => {
    if (!normalizeEmail(m.email))
      bad.push({
        path: fmt === 'csv' ? `[row ${i + 2}].email` : `[${i}].email`,
        expected: 'an email address',
        received: JSON.stringify(m.email),
      });
  });
  if (bad.length) throw new InputError({ source, issues: bad });
  return parsed.data.map((m) => ({ ...m, role: m.role.toLowerCase(), seatTier: m.seatTier?.toLowerCase() }));
}

function membersJson(text: string, source: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError({
      source,
      issues: [{ path: '', expected: 'a JSON array of members', received: (error as Error).message }],
      cause: error,
    });
  }
  if (
    data &&
    typeof data === 'object' &&
    !Array.isArray(data) &&
    Array.isArray((data as { members?: unknown }).members)
  ) {
    data = (data as { members: unknown[] }).members;
  }
  return data;
}

/** Required CSV columns: without them every row would fail the same way, so the header is checked once. */
const REQUIRED_COLUMNS = ['email', 'role'];

function membersCsv(text: string, source: string): Record<string, string>[] {
  let header: string[] = [];
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, {
      columns: (h: string[]) => {
        header = h.map((c) => c.trim().replace(/^\uFEFF/, ''));
        checkHeader(header, source);
        return header.map(canonicalColumn);
      },
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Record<string, string>[];
  } catch (error) {
    if (InputError.isInstance(error)) throw error;
    const e = error as Error & { lines?: number; code?: string; record?: unknown[] };
    if (e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
      const got = Array.isArray(e.record) ? e.record.length : undefined;
      throw new InputError({
        source,
        issues: [
          {
            path: `line ${e.lines ?? '?'}`,
            expected: `${header.length} values, one per column (${header.join(',')})`,
            received: got === undefined ? 'a different number' : `${got}`,
            message: `${got ?? 'a different number of'} values but the header has ${header.length} columns (${header.join(',')}); quote a value that contains a comma`,
          },
        ],
        cause: error,
      });
    }
    throw new InputError({
      source,
      issues: [
        {
          path: e.lines ? `line ${e.lines}` : '',
          expected: 'CSV with a header row (email,role,...)',
          received: e.message,
        },
      ],
      cause: error,
    });
  }
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')));
}

/** Every header problem once: unknown columns (with the closest valid one), required ones missing. */
function checkHeader(header: string[], source: string): void {
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (!h)
      return issues.push({
        path: `header column ${i + 1}`,
        expected: `a column name among ${COLUMNS.join(', ')}`,
        received: 'an empty name',
      });
    const c = canonicalColumn(h);
    if (!COLUMNS.includes(c))
      issues.push({
        path: 'header',
        expected: `columns among ${COLUMNS.join(', ')}`,
        received: JSON.stringify(h),
        message: unknownKeyMessage(h, COLUMNS).replace('unknown key', 'unknown column'),
      });
    else if (seen.has(c)) issues.push({ path: 'header', expected: 'each column once', received: `"${h}" twice` });
    seen.add(c);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length)
    issues.push({
      path: 'header',
      expected: `the column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(' and ')} (email,role[,seatTier,orgId,status,id])`,
      received: header.join(',') || 'no columns',
    });
  if (issues.length) throw new InputError({ source, issues });
}

/**
 * The same unknown key on many rows is one problem: reported once, on its first row, with how
 * many rows carry it.
 */
function onceForEveryRow(issues: InputIssue[]): InputIssue[] {
  const byKey = new Map<string, InputIssue & { count: number }>();
  const out: InputIssue[] = [];
  for (const i of issues) {
    if (!i.message?.startsWith('unknown key')) {
      out.push(i);
      continue;
    }
    const key = i.path.replace(/^\[\d+\]/, '');
    const first = byKey.get(key);
    if (first) first.count++;
    else {
      const entry = { ...i, count: 1 };
      byKey.set(key, entry);
      out.push(entry);
    }
  }
  return out.map((i) => {
    if (!('count' in i)) return i;
    const { count, ...rest } = i as InputIssue & { count: number };
    return count > 1 ? { ...rest, message: `${rest.message} (on ${count} rows)` } : rest;
  });
}

function canonicalColumn(header: string): string {
  const key = header.toLowerCase().replace(/[_\s-]/g, '');
  return COLUMNS.find((c) => c.toLowerCase() === key) ?? header;
}
