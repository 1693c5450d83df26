import { describe, expect, it } from 'vitest';
import {
  checkGroupName,
  hasPropagationPrefix,
  org8,
  parsePredefinedGroupName,
  predefinedGroupName,
} from './group-names';
import { buildDirectoryIndex, resolveOrgAccess } from './access';
import { config, group, org, ORG_CLAUDE, ORG_CONSOLE, snapshot, user } from './test-helpers';

describe('R-G4 group names', () => {
  it('parses the pre-defined names of seed 001 ("anthropic-claudeai-468ca80f-owner")', () => {
    expect(parsePredefinedGroupName('anthropic-claudeai-468ca80f-owner')).toEqual({
      surface: 'claude',
      org8: '468ca80f',
      role: 'owner',
    });
    expect(parsePredefinedGroupName('anthropic-console-9F2C1D7E-claude_code_user')).toEqual({
      surface: 'console',
      org8: '9f2c1d7e',
      role: 'claude_code_user',
    });
    expect(parsePredefinedGroupName('anthropic-claude-owners')).toBeNull();
    expect(parsePredefinedGroupName('Engineering')).toBeNull();
  });

  it('<org8> is the first 8 characters of the org id', () => {
    expect(org8(ORG_CLAUDE)).toBe('468ca80f');
    expect(predefinedGroupName({ id: ORG_CONSOLE, surface: 'console' }, 'Admin')).toBe(
      'anthropic-console-9f2c1d7e-admin',
    );
  });

  it('GROUP_PREFIX: a custom name is fine (seed 002) but must start with anthropic- to be propagated', () => {
    const o = { id: ORG_CLAUDE, surface: 'claude' as const };
    expect(checkGroupName('anthropic-claude-engineers', o)).toEqual([]);
    expect(checkGroupName('Claude Owners', o)).toEqual([{ kind: 'prefix' }]);
    expect(hasPropagationPrefix('Anthropic-x')).toBe(true);
  });

  it('GROUP_ORG_MISMATCH: a pre-defined name for another org or the other surface', () => {
    const o = { id: ORG_CLAUDE, surface: 'claude' as const };
    expect(checkGroupName('anthropic-claudeai-deadbeef-owner', o)).toEqual([
      {
        kind: 'org',
        expectedOrg8: '468ca80f',
        foundOrg8: 'deadbeef',
        expectedSurface: 'claude',
        foundSurface: 'claude',
      },
    ]);
    expect(checkGroupName('anthropic-console-468ca80f-admin', o)[0]).toMatchObject({
      kind: 'org',
      foundSurface: 'console',
    });
    expect(checkGroupName('anthropic-claudeai-468ca80f-owner', o, 'user')).toEqual([
      { kind: 'role', namedRole: 'owner', mappedRole: 'user' },
    ]);
    expect(checkGroupName('anthropic-claudeai-468ca80f-owner', o, 'owner')).toEqual([]);
  });

  it('seed 001: users in the default (pre-defined) groups get those roles without an explicit mapping', () => {
    const s = snapshot({
      users: [user('u1', 'ana@acme.com'), user('u2', 'bo@acme.com')],
      groups: [
        group('g1', 'anthropic-claudeai-468ca80f-owner', ['u1']),
        group('g2', 'anthropic-claudeai-deadbeef-owner', ['u2']),
        group('g3', 'anthropic-claudeai-468ca80f-user', ['u2']),
      ],
      assignUsers: ['u1', 'u2'],
    });
    const o = org({ mappings: { roles: { user: ['anthropic-claudeai-468ca80f-user'] } } });
    const r = resolveOrgAccess(buildDirectoryIndex(s), config([o]), o);
    expect(r.mappedGroups.map((m) => [m.target, m.name, m.implicit ?? false])).toEqual([
      ['owner', 'anthropic-claudeai-468ca80f-owner', true],
      ['user', 'anthropic-claudeai-468ca80f-user', false],
    ]);
    expect(r.byUserId.get('u1')!.role).toBe('owner');
    expect(r.byUserId.get('u2')!.role).toBe('user'); // the deadbeef group is another org's
    const off = resolveOrgAccess(buildDirectoryIndex(s), config([o]), o, { predefinedGroups: false });
    expect(off.byUserId.get('u1')).toMatchObject({ entitled: false, reason: 'no-mapped-group' });
  });
});

describe('R-G4 custom groups with the org prefix', () => {
  it('anthropic-claudeai-<org8>-engineering is a custom group: never implicitly mapped, no role complaint', () => {
    const s = snapshot({
      users: [user('u1', 'ana@acme.com')],
      groups: [group('g1', 'anthropic-claudeai-468ca80f-engineering', ['u1'])],
      assignUsers: ['u1'],
    });
    const o = org({ mappings: { roles: {} } });
    expect(resolveOrgAccess(buildDirectoryIndex(s), config([o]), o).byUserId.get('u1')).toMatchObject({
      entitled: false,
      reason: 'no-mapped-group',
    });
    expect(
      checkGroupName('anthropic-claudeai-468ca80f-engineering', { id: ORG_CLAUDE, surface: 'claude' }, 'user'),
    ).toEqual([]);
  });
});
