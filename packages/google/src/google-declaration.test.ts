import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@claude-idp/core';
import { googleSourcePath, loadGoogleDeclaration, parseGoogleDeclaration } from './google-declaration';
import { hasOrgUnitAccess } from './google-org-units';

const yaml = `# copied from Admin console > Apps > Web and mobile apps > Claude
schemaVersion: 1
apps:
  - id: "045ab3d1"
    name: Claude
    sso:
      nameIdFormat: EMAIL
      nameId: Basic Information > Primary email
      attributes:
        - name: email
          source: Basic Information > Primary email
        - name: title
          source: Employee details > Job title
    access:
      orgUnits: [/Engineering]
      excludedOrgUnits: [/Engineering/Interns]
      groups: [anthropic-claudeai-468ca80f-owner@acme.example]
  - name: Claude Console
`;

describe('Google app declaration', () => {
  it('loads YAML from a file and translates console labels to attribute paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'google-decl-'));
    const file = join(dir, 'claude-google.yaml');
    writeFileSync(file, yaml);
    const d = loadGoogleDeclaration(file);
    expect(d.source).toBe(file);
    expect(d.apps.map((a) => a.name)).toEqual(['Claude', 'Claude Console']);
    expect(d.apps[0]!.sso).toEqual({
      nameIdFormat: 'EMAIL',
      nameId: 'primaryEmail',
      attributes: [
        { name: 'email', source: 'primaryEmail' },
        { name: 'title', source: 'organizations.title' },
      ],
    });
    expect(d.apps[0]!.access).toEqual({
      orgUnits: ['/Engineering'],
      excludedOrgUnits: ['/Engineering/Interns'],
      groups: ['anthropic-claudeai-468ca80f-owner@acme.example'],
    });
    expect(d.apps[1]!.sso).toBeUndefined();
  });

  it('takes JSON text, and a single app without the apps list', () => {
    const d = loadGoogleDeclaration(
      JSON.stringify({ name: 'Claude', sso: { nameIdFormat: 'emailAddress', nameId: 'user.primaryEmail' } }),
    );
    expect(d.apps).toHaveLength(1);
    expect(d.apps[0]!.sso).toMatchObject({ nameIdFormat: 'EMAIL', nameId: 'primaryEmail', attributes: [] });
  });

  it('names every bad path and what was expected', () => {
    const bad = {
      apps: [
        {
          name: 'Claude',
          sso: { nameIdFormat: 'EMAILS', nameId: 'Employee details > Employee ID' },
          access: { orgUnits: ['Engineering'], groupz: [] },
        },
      ],
    };
    const error = (() => {
      try {
        parseGoogleDeclaration(bad, 'claude-google.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(InputError.isInstance(error)).toBe(true);
    const paths = (error as InputError).issues.map((i) => i.path).sort();
    // An unknown key is named at its own path (groupz).
    expect(paths).toEqual([
      'apps[0].access.groupz',
      'apps[0].access.orgUnits[0]',
      'apps[0].sso.nameId',
      'apps[0].sso.nameIdFormat',
    ]);
    expect((error as Error).message).toContain('claude-google.yaml');
  });

  it('reports a YAML syntax error with its line, and a missing file by path', () => {
    expect(() => loadGoogleDeclaration('apps:\n  - name: Claude\napps: []\n')).toThrow(/line 3/);
    const missing = (() => {
      try {
        loadGoogleDeclaration('/nonexistent/claude-google.yaml');
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(missing?.source).toBe('/nonexistent/claude-google.yaml');
    expect(missing?.message).toContain('no such file');
  });

  it('accepts custom schema attributes and the canonical spelling; refuses unknown ones', () => {
    expect(googleSourcePath('customSchemas.Employment.ClaudeEmail')).toBe('customSchemas.Employment.ClaudeEmail');
    expect(googleSourcePath('user.name.givenName')).toBe('name.givenName');
    expect(googleSourcePath('basic information>first name')).toBe('name.givenName');
    expect(googleSourcePath('thumbnailPhotoUrl')).toBeNull();
  });
});

describe('org unit access (deepest declared unit wins)', () => {
  const access = { orgUnits: ['/Engineering', '/Sales/EMEA'], excludedOrgUnits: ['/Engineering/Interns'] };
  it.each([
    ['/Engineering', true],
    ['/Engineering/Platform', true],
    ['/engineering/platform', true],
    ['/Engineering/Interns', false],
    ['/Engineering/Interns/Summer', false],
    ['/EngineeringOps', false],
    ['/Sales', false],
    ['/Sales/EMEA/UK', true],
    ['/', false],
  ])('%s -> %s', (path, on) => {
    expect(hasOrgUnitAccess(path, access)).toBe(on);
  });
  it('root turns on everyone but an excluded branch', () => {
    expect(hasOrgUnitAccess('/Any/Where', { orgUnits: ['/'], excludedOrgUnits: ['/Contractors'] })).toBe(true);
    expect(hasOrgUnitAccess('/Contractors/Acme', { orgUnits: ['/'], excludedOrgUnits: ['/Contractors'] })).toBe(false);
  });
});
