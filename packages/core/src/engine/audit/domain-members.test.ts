import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors/input-error';
import { loadDomainMembers, parseDomainMembers } from './domain-members';

describe('domain-membership export (R-D3)', () => {
  it('CSV with the headers as exported or hand-made: names match ignoring case, spaces, _ and -', () => {
    const csv =
      '\uFEFFEmail Address,Organization Name,Organization ID,Role,Account Type\n Ana@ACME.com ,Ana personal,org-1,Owner,Pro\nbo@acme.com,Acme API,org-2,admin,Console\nzoë@bücher.example,Z,,user,\n';
    expect(parseDomainMembers(csv)).toEqual([
      {
        email: 'ana@acme.com',
        organizationName: 'Ana personal',
        organizationId: 'org-1',
        role: 'owner',
        accountType: 'pro',
        surface: 'claude',
      },
      {
        email: 'bo@acme.com',
        organizationName: 'Acme API',
        organizationId: 'org-2',
        role: 'admin',
        accountType: 'console',
        surface: 'console',
      },
      { email: 'zoë@xn--bcher-kva.example', organizationName: 'Z', role: 'user' },
    ]);
  });

  it('JSON: an array, or an object with members / domain_memberships, with a nested organization', () => {
    const json = JSON.stringify({
      domain_memberships: [
        {
          user_email: 'ana@acme.com',
          organization: { id: 'o1', name: 'Acme', type: 'enterprise' },
          role: 'user',
          product: 'claude',
        },
      ],
    });
    expect(parseDomainMembers(json)).toEqual([
      {
        email: 'ana@acme.com',
        organizationId: 'o1',
        organizationName: 'Acme',
        accountType: 'enterprise',
        role: 'user',
        surface: 'claude',
      },
    ]);
    expect(parseDomainMembers('[{"email":"a@b.co"}]')).toEqual([{ email: 'a@b.co' }]);
  });

  it('bad input is an InputError naming the file and the row', () => {
    const err = (() => {
      try {
        parseDomainMembers('email,role\nok@acme.com,user\nnot-an-email,user\n', 'export.csv');
      } catch (e) {
        return e;
      }
    })();
    expect(InputError.isInstance(err)).toBe(true);
    expect((err as InputError).source).toBe('export.csv');
    expect((err as InputError).issues).toEqual([
      { path: '[row 3].email', expected: 'an email address', received: '"not-an-email"' },
    ]);
    expect(() => parseDomainMembers('name,role\nA,user\n', 'x.csv')).toThrow(
      /x\.csv: header: expected an email column/,
    );
    expect(() => parseDomainMembers('{"nope": 1}', 'x.json')).toThrow(InputError);
    expect(() => parseDomainMembers('[1]', 'x.json')).toThrow(/\[0\]: expected an object/);
    expect(() => parseDomainMembers('{bad', 'x.json')).toThrow(/x\.json/);
  });

  it('loads from a path, and names a missing path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claude-idp-dm-'));
    const file = join(dir, 'memberships.json');
    writeFileSync(file, '[{"email":"ana@acme.com","account_type":"Team"}]');
    expect(loadDomainMembers(file)).toEqual([{ email: 'ana@acme.com', accountType: 'team', surface: 'claude' }]);
    expect(() => loadDomainMembers(join(dir, 'nope.csv'))).toThrow(/nope\.csv: cannot read/);
  });
});
