import { canonicalEntraField } from './entra-fields';

/** What the SAML assertion carries, as the snapshot reports it. */
export interface EntraClaims {
  nameIdFormat: string | null;
  nameIdSource: string | null;
  emailAttribute: { name: string; source: string } | null;
}

const CLAIMS_NS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
const NAMEID_CLAIM_TYPE = `${CLAIMS_NS}/nameidentifier`;

/**
 * Entra's defaults for a SAML app whose claims nobody customised: NameID from
 * `user.userprincipalname`, the `emailaddress` claim from `user.mail` — two different fields out
 * of the box. NameID format "Default" leaves the format to the SP's request, so it is unknown (null).
 */
export const ENTRA_DEFAULT_CLAIMS: EntraClaims = {
  nameIdFormat: null,
  nameIdSource: 'user.userPrincipalName',
  emailAttribute: { name: `${CLAIMS_NS}/emailaddress`, source: 'user.mail' },
};

/** Claim names that carry the person's email, best first. */
const EMAIL_NAMES = ['email', 'emailaddress', 'mail'];

interface Attribute {
  '@odata.type'?: string;
  id?: string;
  source?: string;
  value?: string;
}
interface Transformation {
  '@odata.type'?: string;
  input?: { attribute?: Attribute };
  input2?: { attribute?: Attribute };
}
interface Configuration {
  condition?: unknown;
  attribute?: Attribute | null;
  transformations?: Transformation[] | null;
}
interface CustomClaim {
  '@odata.type'?: string;
  name?: string;
  namespace?: string | null;
  tokenFormat?: string[] | null;
  nameIdFormat?: string | null;
  configurations?: Configuration[] | null;
}
export interface CustomClaimsPolicy {
  includeBasicClaimSet?: boolean;
  claims?: CustomClaim[] | null;
}

/** A claim attribute as a canonical source: `user.mail`, or `expr:...` for constants, other sources and transformations. */
export function claimAttributeSource(attribute: Attribute | null | undefined): string | null {
  if (!attribute) return null;
  if (
    attribute['@odata.type']?.endsWith('valueBasedAttribute') ||
    (attribute.value !== undefined && attribute.id === undefined)
  )
    return `expr:"${attribute.value ?? ''}"`;
  if (!attribute.id) return null;
  const source = (attribute.source ?? 'user').toLowerCase();
  return source === 'user' ? canonicalEntraField(attribute.id) : `expr:${source}.${attribute.id.trim()}`;
}

/** One claim's source across its configurations. Conditional claims with different sources report all of them. */
function configurationsSource(configurations: Configuration[] | null | undefined): string | null {
  const sources = new Set<string>();
  for (const c of configurations ?? []) {
    const t = c.transformations ?? [];
    if (!t.length) {
      const s = claimAttributeSource(c.attribute);
      if (s) sources.add(s);
      continue;
    }
    // Case changes keep the field; any other transformation (ExtractMailPrefix, Join, RegexReplace) is an expression.
    const [first] = t;
    const kind = (first?.['@odata.type'] ?? 'transformation').replace(/^#?microsoft\.graph\./, '');
    const input = claimAttributeSource(first?.input?.attribute ?? c.attribute);
    sources.add(t.length === 1 && /^to(lower|upper)case/i.test(kind) && input ? input : `expr:${kind}(${input ?? ''})`);
  }
  if (sources.size <= 1) return [...sources][0] ?? null;
  return `expr:conditional(${[...sources].sort().join('|')})`;
}

function isSaml(claim: CustomClaim): boolean {
  return (
    !claim.tokenFormat || claim.tokenFormat.length === 0 || claim.tokenFormat.some((f) => f.toLowerCase() === 'saml')
  );
}

/**
 * Claims from the beta `customClaimsPolicy` (what the admin center's "Attributes & Claims" blade
 * edits). Its claim list is what the portal shows, so an absent email claim means none is sent; an
 * absent NameID claim leaves Entra's default NameID (the UPN) in place.
 */
export function claimsFromCustomClaimsPolicy(policy: CustomClaimsPolicy): EntraClaims {
  const claims = policy.claims ?? [];
  const nameId = claims.find((c) => c['@odata.type']?.endsWith('samlNameIdClaim'));
  const custom = claims.filter((c) => !c['@odata.type']?.endsWith('samlNameIdClaim') && isSaml(c) && c.name);
  const email = EMAIL_NAMES.map((n) => custom.find((c) => c.name!.trim().toLowerCase() === n)).find(Boolean);
  const emailSource = email ? configurationsSource(email.configurations) : null;
  return {
    nameIdFormat: nameId?.nameIdFormat && nameId.nameIdFormat !== 'default' ? nameId.nameIdFormat : null,
    nameIdSource: nameId ? configurationsSource(nameId.configurations) : ENTRA_DEFAULT_CLAIMS.nameIdSource,
    emailAttribute:
      email && emailSource
        ? {
            name: email.namespace ? `${email.namespace.replace(/\/+$/, '')}/${email.name}` : email.name!,
            source: emailSource,
          }
        : null,
  };
}

interface ClaimsSchemaEntry {
  Source?: string;
  ID?: string;
  ExtensionID?: string;
  Value?: string;
  SamlClaimType?: string;
  TransformationId?: string;
  TransformationID?: string;
}

/**
 * Claims from a v1.0 `claimsMappingPolicy` definition (a JSON string), which supersedes the custom
 * claims policy and the portal blade when assigned. NameID is the entry whose `SamlClaimType` is
 * `.../nameidentifier`; `IncludeBasicClaimSet` is the *string* "true" in real definitions.
 */
export function claimsFromMappingPolicy(definition: string): EntraClaims {
  const parsed = JSON.parse(definition) as { ClaimsMappingPolicy?: { ClaimsSchema?: ClaimsSchemaEntry[] } };
  const schema = parsed.ClaimsMappingPolicy?.ClaimsSchema ?? [];
  const source = (e: ClaimsSchemaEntry): string | null => {
    if (e.Value !== undefined) return `expr:"${e.Value}"`;
    const s = (e.Source ?? '').toLowerCase();
    if (s === 'user' && (e.ID || e.ExtensionID)) return canonicalEntraField((e.ID ?? e.ExtensionID)!);
    if (s === 'transformation') return `expr:transformation(${e.TransformationId ?? e.TransformationID ?? ''})`;
    return e.ID ? `expr:${s}.${e.ID}` : null;
  };
  const typeOf = (e: ClaimsSchemaEntry) => (e.SamlClaimType ?? '').trim();
  const nameId = schema.find((e) => typeOf(e).toLowerCase() === NAMEID_CLAIM_TYPE);
  const email = EMAIL_NAMES.map((n) => schema.find((e) => typeOf(e).toLowerCase().split('/').pop() === n)).find(
    Boolean,
  );
  const emailSource = email ? source(email) : null;
  return {
    nameIdFormat: null,
    nameIdSource: nameId ? source(nameId) : ENTRA_DEFAULT_CLAIMS.nameIdSource,
    emailAttribute: email && emailSource ? { name: typeOf(email), source: emailSource } : null,
  };
}
