import { describe, expect, it } from 'vitest';
import cmpFixture from './__fixtures__/entra-claims-mapping-policy.json';
import getFixture from './__fixtures__/entra-custom-claims-policy-get.json';
import samlFixture from './__fixtures__/entra-custom-claims-policy-saml.json';
import {
  canonicalEntraField,
  claimAttributeSource,
  claimsFromCustomClaimsPolicy,
  claimsFromMappingPolicy,
  ENTRA_DEFAULT_CLAIMS,
} from './index';

const EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';

describe('entra claims: canonical fields', () => {
  it('claims (lower case) and provisioning (camel case) names meet at the Graph property', () => {
    expect(canonicalEntraField('userprincipalname')).toBe('user.userPrincipalName');
    expect(canonicalEntraField('userPrincipalName')).toBe('user.userPrincipalName');
    expect(canonicalEntraField('mail')).toBe('user.mail');
    expect(canonicalEntraField(' employeeId')).toBe('user.employeeId'); // Microsoft's own example has the space
    expect(canonicalEntraField('objectid')).toBe('user.id');
    expect(canonicalEntraField('objectId')).toBe('user.id');
    expect(canonicalEntraField('extensionattribute3')).toBe('user.extensionAttribute3');
    expect(canonicalEntraField('extension_7ade56f812b0472ba923102874ee083a_costCenter')).toBe(
      'user.extension_7ade56f812b0472ba923102874ee083a_costCenter',
    );
  });

  it('constants and non-user sources are expressions, not fields', () => {
    expect(claimAttributeSource({ '@odata.type': '#microsoft.graph.valueBasedAttribute', value: 'ext' })).toBe(
      'expr:"ext"',
    );
    expect(
      claimAttributeSource({
        '@odata.type': '#microsoft.graph.sourcedAttribute',
        id: 'tenantcountry',
        source: 'company',
      }),
    ).toBe('expr:company.tenantcountry');
    expect(claimAttributeSource(null)).toBeNull();
  });
});

describe('entra claims: custom claims policy (beta claimsPolicy)', () => {
  it("reads a SAML app's NameID and email claim (documented example)", () => {
    expect(claimsFromCustomClaimsPolicy(samlFixture)).toEqual({
      nameIdFormat: 'emailAddress',
      nameIdSource: 'user.userPrincipalName',
      emailAttribute: { name: EMAIL, source: 'user.mail' },
    });
  });

  it('a policy with no NameID claim keeps the default NameID (UPN); with no email claim, none is sent', () => {
    expect(claimsFromCustomClaimsPolicy(getFixture)).toEqual({
      nameIdFormat: null,
      nameIdSource: 'user.userPrincipalName',
      emailAttribute: null,
    });
  });

  it('case transformations keep the field; others become expressions; JWT-only claims are not SAML attributes', () => {
    const claims = claimsFromCustomClaimsPolicy({
      claims: [
        {
          '@odata.type': '#microsoft.graph.samlNameIdClaim',
          nameIdFormat: 'default',
          configurations: [
            {
              attribute: null,
              transformations: [
                {
                  '@odata.type': '#microsoft.graph.extractMailPrefixTransformation',
                  input: { attribute: { id: 'mail', source: 'user' } },
                },
              ],
            },
          ],
        },
        {
          '@odata.type': '#microsoft.graph.customClaim',
          name: 'email',
          tokenFormat: ['jwt'],
          configurations: [{ attribute: { id: 'userprincipalname', source: 'user' } }],
        },
        {
          '@odata.type': '#microsoft.graph.customClaim',
          name: 'emailaddress',
          namespace: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims',
          tokenFormat: ['saml'],
          configurations: [
            {
              attribute: null,
              transformations: [
                {
                  '@odata.type': '#microsoft.graph.toLowercaseTransformation',
                  input: { attribute: { id: 'mail', source: 'user' } },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(claims).toEqual({
      nameIdFormat: null,
      nameIdSource: 'expr:extractMailPrefixTransformation(user.mail)',
      emailAttribute: { name: EMAIL, source: 'user.mail' },
    });
  });

  it('conditional claims with different sources report all of them', () => {
    const claims = claimsFromCustomClaimsPolicy({
      claims: [
        {
          '@odata.type': '#microsoft.graph.customClaim',
          name: 'emailaddress',
          configurations: [
            { condition: { userType: 'guests' }, attribute: { id: 'othermail', source: 'user' } },
            { condition: null, attribute: { id: 'mail', source: 'user' } },
          ],
        },
      ],
    });
    expect(claims.emailAttribute).toEqual({
      name: 'emailaddress',
      source: 'expr:conditional(user.mail|user.otherMails)',
    });
  });

  it("Entra's defaults put NameID and email on two different fields", () => {
    expect(ENTRA_DEFAULT_CLAIMS.nameIdSource).toBe('user.userPrincipalName');
    expect(ENTRA_DEFAULT_CLAIMS.emailAttribute?.source).toBe('user.mail');
  });
});

describe('entra claims: claims-mapping policy (v1.0)', () => {
  it('reads the documented AWS policy: no nameidentifier claim type of its own, so the default NameID stays', () => {
    // The example's "nameidentifier" is under aws.amazon.com, not the SAML NameID claim type.
    expect(claimsFromMappingPolicy(cmpFixture.definition[0]!)).toEqual({
      nameIdFormat: null,
      nameIdSource: 'user.userPrincipalName',
      emailAttribute: null,
    });
  });

  it('reads NameID and email from ClaimsSchema entries', () => {
    const definition = JSON.stringify({
      ClaimsMappingPolicy: {
        Version: 1,
        IncludeBasicClaimSet: 'true',
        ClaimsSchema: [
          {
            Source: 'user',
            ID: 'mail',
            SamlClaimType: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
          },
          { Source: 'user', ID: 'employeeid', SamlClaimType: EMAIL },
        ],
      },
    });
    expect(claimsFromMappingPolicy(definition)).toEqual({
      nameIdFormat: null,
      nameIdSource: 'user.mail',
      emailAttribute: { name: EMAIL, source: 'user.employeeId' },
    });
  });
});
