import { describe, expect, it } from 'vitest';
import jobsFixture from './__fixtures__/entra-synchronization-jobs.json';
import schemaFixture from './__fixtures__/entra-synchronization-schema.json';
import { intervalMinutes, mappingSource, pickJob, scimFromSynchronization, type SynchronizationSchema } from './index';

const attr = (name: string) => ({ expression: `[${name}]`, name, parameters: [], type: 'Attribute' });

describe('entra provisioning', () => {
  it('translates mapping sources: attributes, case functions, other functions, constants', () => {
    expect(mappingSource({ source: attr('userPrincipalName') })).toBe('user.userPrincipalName');
    expect(mappingSource({ source: attr('mail') })).toBe('user.mail');
    expect(
      mappingSource({
        source: {
          expression: 'ToLower([mail], )',
          name: 'ToLower',
          type: 'Function',
          parameters: [{ key: 'source', value: attr('mail') }],
        },
      }),
    ).toBe('user.mail');
    expect(
      mappingSource({
        source: {
          expression: 'Mid([userPrincipalName], 1, 8)',
          name: 'Mid',
          type: 'Function',
          parameters: [{ key: 'source', value: attr('userPrincipalName') }],
        },
      }),
    ).toBe('expr:Mid([userPrincipalName], 1, 8)');
    expect(mappingSource({ source: null, defaultValue: 'ISO-8859-1' })).toBe('expr:"ISO-8859-1"');
    expect(mappingSource(undefined)).toBeNull();
  });

  it('reads the schedule interval; TimeSpan.MaxValue on disabled jobs means none', () => {
    expect(intervalMinutes('PT40M')).toBe(40);
    expect(intervalMinutes('P1D')).toBe(1440);
    expect(intervalMinutes('PT1H30M')).toBe(90);
    expect(intervalMinutes('P10675199DT2H48M5.4775807S')).toBeNull();
    expect(intervalMinutes(null)).toBeNull();
  });

  it('reads the documented (Box) job: disabled, no interval; attribute names match case-insensitively (SCIM attribute names are)', () => {
    const job = pickJob(jobsFixture.value);
    const scim = scimFromSynchronization(job, schemaFixture as SynchronizationSchema, ['g1']);
    expect(scim).toEqual({
      enabled: false,
      emailSource: null,
      userNameSource: 'user.userPrincipalName',
      create: true,
      update: true,
      deactivate: true,
      pushedGroupIds: [],
      intervalMinutes: null,
    });
  });

  it('reads the SCIM template: userName and emails[type eq "work"].value sources, flow types, pushed groups', () => {
    const schema: SynchronizationSchema = {
      synchronizationRules: [
        {
          sourceDirectoryName: 'Azure Active Directory',
          objectMappings: [
            {
              enabled: true,
              flowTypes: 'Add, Update',
              sourceObjectName: 'User',
              attributeMappings: [
                { targetAttributeName: 'userName', source: attr('userPrincipalName') },
                { targetAttributeName: 'emails[type eq "work"].value', source: attr('mail') },
              ],
            },
            { enabled: true, sourceObjectName: 'Group', attributeMappings: [] },
          ],
        },
      ],
    };
    const scim = scimFromSynchronization(
      { id: 'scim.1', templateId: 'scim', schedule: { interval: 'PT40M', state: 'Active' } },
      schema,
      ['g2', 'g1'],
    );
    expect(scim).toEqual({
      enabled: true,
      emailSource: 'user.mail',
      userNameSource: 'user.userPrincipalName',
      create: true,
      update: true,
      deactivate: false,
      pushedGroupIds: ['g1', 'g2'],
      intervalMinutes: 40,
    });
  });

  it('no provisioning job: SCIM is off and nothing is known about it', () => {
    expect(scimFromSynchronization(undefined, null, [])).toMatchObject({
      enabled: false,
      emailSource: null,
      userNameSource: null,
      create: null,
    });
  });

  it('prefers the scim / customappsso job over others', () => {
    expect(
      pickJob([
        { id: 'a', templateId: 'BoxOutDelta' },
        { id: 'b', templateId: 'scim' },
      ])?.id,
    ).toBe('b');
    expect(pickJob([{ id: 'a', templateId: 'customappsso' }])?.id).toBe('a');
  });
});
