import { z } from 'zod';
import { InputError, parseDocumentText, readSource, zodIssues } from '@claude-idp/core';

/**
 * Google Workspace has no API for a custom SAML app: not its Name ID, not its attribute mapping,
 * not which org units and groups may use it (Admin console > Apps > Web and mobile apps > the app).
 * The admin copies those settings into this small file; the snapshot marks them `declared`.
 */

/** Admin console "Name ID format" choices, and the snapshot's spelling of each. */
export const GOOGLE_NAME_ID_FORMATS = {
  UNSPECIFIED: 'unspecified',
  EMAIL: 'emailAddress',
  X509_SUBJECT: 'X509SubjectName',
  PERSISTENT: 'persistent',
  TRANSIENT: 'transient',
} as const;
export type GoogleNameIdFormat = keyof typeof GOOGLE_NAME_ID_FORMATS;

/**
 * Directory attributes the console offers as a Name ID or attribute source, by console label,
 * mapped to the user resource path the adapter reads. Canonical field = `user.<path>`.
 */
export const GOOGLE_SOURCE_LABELS: Record<string, string> = {
  'basic information > primary email': 'primaryEmail',
  'basic information > first name': 'name.givenName',
  'basic information > last name': 'name.familyName',
  'employee details > department': 'organizations.department',
  'employee details > job title': 'organizations.title',
  'employee details > cost center': 'organizations.costCenter',
};
const SOURCE_PATHS = new Set(Object.values(GOOGLE_SOURCE_LABELS));
const CUSTOM = /^customSchemas\.([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/;

/** A console label (`Basic Information > Primary email`), a path (`primaryEmail`) or a canonical name (`user.primaryEmail`) to the path. */
export function googleSourcePath(value: string): string | null {
  const v = value.trim();
  const label = GOOGLE_SOURCE_LABELS[v.toLowerCase().replace(/\s*>\s*/g, ' > ')];
  if (label) return label;
  const path = v.startsWith('user.') ? v.slice(5) : v;
  const aliases: Record<string, string> = { givenName: 'name.givenName', familyName: 'name.familyName' };
  const p = aliases[path] ?? path;
  return SOURCE_PATHS.has(p) || CUSTOM.test(p) ? p : null;
}

const Source = z.string().transform((value, ctx) => {
  const path = googleSourcePath(value);
  if (path) return path;
  ctx.addIssue({
    code: 'custom',
    message: `a Google directory attribute: one of ${Object.keys(GOOGLE_SOURCE_LABELS)
      .map((l) => `"${l}"`)
      .join(', ')}, primaryEmail, name.givenName, name.familyName, or customSchemas.<schema>.<field>`,
  });
  return z.NEVER;
});

const NameIdFormat = z.string().transform((value, ctx) => {
  const v = value.trim();
  const key = (Object.keys(GOOGLE_NAME_ID_FORMATS) as GoogleNameIdFormat[]).find(
    (k) => k === v.toUpperCase() || GOOGLE_NAME_ID_FORMATS[k].toLowerCase() === v.toLowerCase(),
  );
  if (key) return key;
  ctx.addIssue({ code: 'custom', message: `one of ${Object.keys(GOOGLE_NAME_ID_FORMATS).join(', ')}` });
  return z.NEVER;
});

const OrgUnitPath = z
  .string()
  .regex(/^\/(?:[^/]+(?:\/[^/]+)*)?$/, 'an org unit path such as "/" or "/Engineering/Claude"');

export const GoogleAppDeclarationSchema = z
  .object({
    /** The app's id if the admin has it (e.g. from the console URL); else the name serves as id. */
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    sso: z
      .object({
        nameIdFormat: NameIdFormat,
        nameId: Source,
        /** "SAML attribute mapping": app attribute name <- Google directory attribute. */
        attributes: z.array(z.object({ name: z.string().min(1), source: Source }).strict()).default([]),
      })
      .strict()
      .optional(),
    /** "User access": service status ON for these org units (and their children) and these groups. */
    access: z
      .object({
        orgUnits: z.array(OrgUnitPath).default([]),
        /** Child org units set to OFF under an org unit that is ON. */
        excludedOrgUnits: z.array(OrgUnitPath).default([]),
        /** Group emails (or ids) with access. */
        groups: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

export const GoogleDeclarationFileSchema = z
  .object({ schemaVersion: z.literal(1).optional(), apps: z.array(GoogleAppDeclarationSchema).min(1) })
  .strict();

export type GoogleAppDeclaration = z.input<typeof GoogleAppDeclarationSchema>;
export type GoogleDeclarationFile = z.input<typeof GoogleDeclarationFileSchema>;
export type ParsedGoogleApp = z.output<typeof GoogleAppDeclarationSchema>;
export interface ParsedGoogleDeclaration {
  source: string;
  apps: ParsedGoogleApp[];
  /** Where app `i` sits in the document, for error paths: `apps[i].` or `` for a single app. */
  pathOf(i: number): string;
}

/** Validates a declaration object (one app, or `{ apps: [...] }`); an `InputError` names every bad path. */
export function parseGoogleDeclaration(data: unknown, source = '<google declaration>'): ParsedGoogleDeclaration {
  const isFile = data !== null && typeof data === 'object' && 'apps' in data;
  const parsed = isFile ? GoogleDeclarationFileSchema.safeParse(data) : GoogleAppDeclarationSchema.safeParse(data);
  if (!parsed.success) throw new InputError({ source, issues: zodIssues(parsed.error, data) });
  const apps = 'apps' in parsed.data ? parsed.data.apps : [parsed.data];
  return { source, apps, pathOf: (i) => (isFile ? `apps[${i}].` : '') };
}

/** Loads a declaration from a JSON or YAML file path, or from the text itself. */
export function loadGoogleDeclaration(pathOrText: string): ParsedGoogleDeclaration {
  const { text, source } = readSource(pathOrText, 'Google app declaration');
  return parseGoogleDeclaration(parseDocumentText(text, source), source);
}

export function resolveDeclaration(
  value: GoogleAppDeclaration | GoogleDeclarationFile | string | undefined,
): ParsedGoogleDeclaration | null {
  if (value === undefined) return null;
  return typeof value === 'string'
    ? loadGoogleDeclaration(value)
    : parseGoogleDeclaration(value, '<declaration setting>');
}
