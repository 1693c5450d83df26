import type { Finding } from '../../schemas/finding';
import { fieldValue, samlEmailSource, scimEmailSource } from '../../rules/access';
import { createEmailNormalizer } from '../../rules/email-normalizer';
import { fieldAttribute } from '../../model/canonical-field';
import type { CheckContext } from './context';
import { finding } from './findings';
import { listSome, plural, vendorIdentity } from './where';

/** `urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress` / `EmailAddress` / `email` → `emailaddress`. */
export function nameIdFormatKey(format: string): string {
  const tail = format.trim().split(':').pop() ?? '';
  const k = tail.toLowerCase().replace(/[\s_-]/g, '');
  return k === 'email' ? 'emailaddress' : k;
}

/**
 * The app's SSO and SCIM settings (R-S4, R-S5, R-K1, R-K2, R-V4), and CHECK_UNAVAILABLE for every
 * setting the IdP's API cannot show — never a silent pass.
 */
export function checkApp(ctx: CheckContext): Finding[] {
  const { snapshot, config } = ctx;
  const out: Finding[] = [];
  const app = { kind: 'app' as const, id: snapshot.app.id, name: snapshot.app.name };
  const sso = snapshot.app.sso;
  const scim = snapshot.app.scim;
  const scimOrgs = config.organizations.filter((o) => o.provisioning.mode === 'scim');
  const identity = vendorIdentity(
    config.organizations.some((o) => o.surface === 'claude') || config.organizations.length === 0
      ? 'claude'
      : 'console',
  );

  // CHECK_UNAVAILABLE: one per check name; the adapter's own reasons first.
  const unavailable = new Map<string, string>();
  // SCIM checks matter only when an org uses SCIM (an adapter may list them regardless).
  for (const u of snapshot.unavailable ?? []) {
    if ((u.check === 'scim' || u.check.startsWith('scim.')) && scimOrgs.length === 0) continue;
    if (!unavailable.has(u.check)) unavailable.set(u.check, u.reason);
  }
  const cannot = (check: string, reason: string) => {
    if (!unavailable.has(check)) unavailable.set(check, reason);
  };
  const HOW: Record<string, string> = {
    sso: `open ${ctx.where('sso')} and check: SAML 2.0, NameID format EmailAddress, application username Email, attribute statement email = the user's email field (R-S4)`,
    'sso.protocol': `open ${ctx.where('sso')} and check the app uses SAML 2.0 (recommended) or OIDC`,
    'sso.nameIdFormat': `open ${ctx.where('sso')} and check the NameID format is EmailAddress`,
    'sso.nameIdSource': `open ${ctx.where('sso')} and check the NameID / application username is the user's email field — the same field SCIM sends (R-S5)`,
    'sso.emailAttribute': `open ${ctx.where('attributes')} and check there is an attribute named email with the user's email field`,
    scim: `open ${ctx.where('provisioning')} and check SCIM is on with Create Users, Update User Attributes and Deactivate Users, and that the email comes from the same field as SAML`,
    'scim.emailSource': `open ${ctx.where('scimMappings')} and check the email attribute maps from the same field as the SAML NameID / email attribute (R-S5)`,
    'scim.create': `open ${ctx.where('provisioning')} and check Create Users is on`,
    'scim.update': `open ${ctx.where('provisioning')} and check Update User Attributes is on`,
    'scim.deactivate': `open ${ctx.where('provisioning')} and check Deactivate Users is on`,
    'scim.pushedGroupIds': `open ${ctx.where('pushGroups')} and check every mapped group is pushed (R-G5)`,
    assignments: `open ${ctx.where('assignments')} and check who has the app: every access result in this report assumes only the assignments the snapshot holds`,
    'sso.claimsMappingPolicy': `open ${ctx.where('attributes')} and check no claims-mapping policy overrides the email / NameID claim`,
  };

  // Google: the SSO values come from the admin's declaration, not the API; say so where they are used.
  const declared = sso?.declared ? ' (as declared in the SSO declaration file, not read from the API)' : '';
  if (sso === null) cannot('sso', `${snapshot.idp} does not expose the app's SSO settings through its API`);
  else {
    if (sso.protocol === null) cannot('sso.protocol', 'the API does not say whether the app uses SAML or OIDC');
    const saml = sso.protocol !== 'oidc';
    if (saml) {
      if (sso.nameIdFormat === null) cannot('sso.nameIdFormat', 'the API does not show the NameID format');
      else if (nameIdFormatKey(sso.nameIdFormat) !== 'emailaddress') {
        const k = nameIdFormatKey(sso.nameIdFormat);
        out.push(
          finding('NAMEID_FORMAT', {
            severity: k === 'persistent' || k === 'transient' ? 'error' : 'warning',
            subject: app,
            message: `SAML NameID format is ${sso.nameIdFormat}, not EmailAddress${k === 'persistent' || k === 'transient' ? ': the NameID is an opaque id, not the email people are matched by' : ''}${declared}`,
            fix: `In ${ctx.where('sso')} set Name ID format to EmailAddress and Application username to Email`,
          }),
        );
      }
      if (sso.nameIdSource === null)
        cannot('sso.nameIdSource', 'the API does not show which field the NameID comes from');
      if (sso.emailAttribute === null) {
        if (!unavailable.has('sso.emailAttribute')) {
          out.push(
            finding('EMAIL_ATTRIBUTE_MISSING', {
              subject: app,
              message: `The SAML assertion has no attribute statement named email${declared}`,
              fix: `In ${ctx.where('attributes')} add an attribute named email with value ${sso.nameIdSource ?? 'user.email'} (the same field as the NameID and as SCIM)`,
            }),
          );
        }
      } else if (!isEmailAttributeName(sso.emailAttribute.name)) {
        out.push(
          finding('EMAIL_ATTRIBUTE_MISSING', {
            subject: app,
            message: `The SAML email attribute is named "${sso.emailAttribute.name}", not email${declared}`,
            fix: `In ${ctx.where('attributes')} rename the attribute to email (value ${sso.emailAttribute.source})`,
          }),
        );
      }
    }
  }

  if (scimOrgs.length > 0) {
    const names = scimOrgs.map((o) => o.name ?? o.id).join(', ');
    if (scim === null)
      cannot('scim', `${snapshot.idp} does not expose the app's provisioning settings through its API`);
    else {
      if (!scim.enabled) {
        out.push(
          finding('SCIM_DISABLED_IN_IDP', {
            subject: app,
            message: `${names} ${scimOrgs.length === 1 ? 'is' : 'are'} set to SCIM but provisioning is off in the ${snapshot.app.name} app: nobody is created, updated or removed`,
            fix: `In ${ctx.where('provisioning')} enable the API integration / provisioning with the SCIM base URL and token from ${identity} → Directory sync (SCIM) → Setup SCIM`,
          }),
        );
      }
      const caps: [keyof typeof scim & ('create' | 'update' | 'deactivate'), string][] = [
        ['create', 'Create Users'],
        ['update', 'Update User Attributes'],
        ['deactivate', 'Deactivate Users'],
      ];
      for (const [key, label] of caps) {
        const v = scim[key];
        if (v === null) cannot(`scim.${key}`, `the API does not show whether ${label} is on`);
        else if (v === false && scim.enabled) {
          const effect =
            key === 'create'
              ? 'newly assigned people are never provisioned'
              : key === 'update'
                ? 'role and email changes never reach the vendor'
                : 'people removed from the app are never deprovisioned';
          out.push(
            finding('SCIM_CAPABILITY_OFF', {
              subject: { ...app, name: `${snapshot.app.name}: ${label}` },
              message: `SCIM ${label} is off in the ${snapshot.app.name} app: ${effect}`,
              fix: `In ${ctx.where('provisioning')} enable ${label}`,
            }),
          );
        }
      }
      if (scim.emailSource === null && scim.userNameSource === null)
        cannot('scim.emailSource', 'the API does not show which field SCIM sends as the email');
      if (scim.pushedGroupIds === null && scimOrgs.some((o) => o.provisioning.groupMappings?.enabled)) {
        cannot('scim.pushedGroupIds', 'the API does not show which groups the app pushes over SCIM');
      }
      if (snapshot.idp === 'entra' && scim.enabled) {
        const every = scim.intervalMinutes ?? 40;
        out.push(
          finding('ENTRA_SYNC_DELAY', {
            subject: app,
            message: `Microsoft Entra pushes SCIM changes about every ${every} minutes: assignments, group and role changes reach ${names} after up to ${every} minutes, not instantly`,
            fix: `Expect the delay before judging a change; for one person use ${ctx.where('provisioning')} → Provision on demand, or click "Sync now" at ${identity} → Directory sync (SCIM)`,
          }),
        );
      }
    }
  } else if (scim?.enabled) {
    out.push(
      finding('SCIM_NOT_USED', {
        subject: app,
        message: `SCIM provisioning is on in the ${snapshot.app.name} app, but no org in the config uses SCIM mode`,
        fix: `Set provisioning.mode: scim on the org that uses it, or turn provisioning off in ${ctx.where('provisioning')} so nothing is pushed to a directory the vendor ignores`,
      }),
    );
  }

  out.push(...checkEmailSources(ctx, scimOrgs.length > 0 || scim?.enabled === true));

  for (const [check, reason] of [...unavailable].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(
      finding('CHECK_UNAVAILABLE', {
        subject: { ...app, name: `${snapshot.app.name}: ${check}` },
        message: `Not checked: ${check} — ${reason}`,
        fix: HOW[check] ?? `Check ${check} by hand in ${ctx.where('app')}`,
      }),
    );
  }
  return out;
}

/** R-S5 (SAML vs SCIM) and R-S4 (NameID vs the email attribute): same field, or the same values. */
function checkEmailSources(ctx: CheckContext, scimInUse: boolean): Finding[] {
  const { snapshot, index, people } = ctx;
  const out: Finding[] = [];
  const app = { kind: 'app' as const, id: snapshot.app.id, name: snapshot.app.name };
  const samlSource = samlEmailSource(snapshot);
  const scimSource = scimEmailSource(snapshot);

  if (scimInUse && samlSource && scimSource && samlSource !== scimSource) {
    const differ: { id: string; saml: string | null; scim: string | null }[] = [];
    const users = index.usersSorted;
    for (let i = 0; i < users.length; i++) {
      if (!people.isAssigned(i) || users[i]!.status !== 'active') continue;
      const a = people.samlEmails[i] ?? null;
      const b = people.scimEmails[i] ?? null;
      if (a !== b) differ.push({ id: users[i]!.id, saml: a, scim: b });
    }
    const samlAttr = fieldAttribute(samlSource);
    const scimAttr = fieldAttribute(scimSource);
    const fix = `Make both use the same field: in ${ctx.where('scimMappings')} map the SCIM email from ${samlSource} (as SAML does)${snapshot.idp === 'okta' ? ' — Okta: the email attribute in To App → Attribute Mappings should be user.email, like the SAML attribute statement' : ''}; or change the SAML NameID/email attribute in ${ctx.where('attributes')} to ${scimSource}`;
    if (differ.length === 0) {
      out.push(
        finding('EMAIL_SOURCE_MISMATCH', {
          severity: 'warning',
          subject: app,
          message: `SAML takes the email from ${samlSource} but SCIM from ${scimSource}; the values agree for every assigned person today, but the first person whose ${samlAttr} and ${scimAttr} differ will be provisioned and unable to log in, or get a duplicate account`,
          fix,
        }),
      );
    } else {
      const shown = differ.map((d) => `${d.saml ?? '(none)'} ≠ ${d.scim ?? '(none)'}`);
      out.push(
        finding('EMAIL_SOURCE_MISMATCH', {
          subject: app,
          message: `SAML takes the email from ${samlSource} but SCIM from ${scimSource}, and they differ for ${plural(differ.length, 'assigned person', 'assigned people')} (SAML ≠ SCIM): ${listSome(shown)}; these people are provisioned but cannot log in, or get duplicate accounts`,
          fix,
        }),
      );
      for (const d of differ) {
        out.push(
          finding('EMAIL_SOURCE_MISMATCH', {
            subject: { kind: 'user', id: d.id, name: d.saml ?? d.scim ?? d.id },
            message: `SAML sends ${d.saml ?? '(nothing)'} (${samlSource}) but SCIM sends ${d.scim ?? '(nothing)'} (${scimSource}) for this person`,
            fix: `Fix the app's mappings (see the app-level finding), or make this person's ${samlAttr} and ${scimAttr} equal in ${ctx.where('users')}`,
          }),
        );
      }
    }
  }

  const sso = snapshot.app.sso;
  if (sso?.nameIdSource && sso.emailAttribute?.source && sso.nameIdSource !== sso.emailAttribute.source) {
    // Compare the two SAML sources per assigned person (the index holds the email attribute's value).
    const differ: string[] = [];
    const norm = createEmailNormalizer();
    const users = index.usersSorted;
    for (let i = 0; i < users.length; i++) {
      const u = users[i]!;
      if (!people.isAssigned(i) || u.status !== 'active') continue;
      const nameId = norm(fieldValue(u, sso.nameIdSource));
      const attr = people.samlEmails[i] ?? null;
      if (nameId !== attr) differ.push(`${nameId ?? '(none)'} ≠ ${attr ?? '(none)'}`);
    }
    if (differ.length > 0) {
      out.push(
        finding('SAML_SOURCE_MISMATCH', {
          subject: app,
          message: `The SAML NameID comes from ${sso.nameIdSource} but the email attribute from ${sso.emailAttribute.source}, and they differ for ${plural(differ.length, 'assigned person', 'assigned people')} (NameID ≠ email): ${listSome(differ)}`,
          fix: `In ${ctx.where('sso')} set the NameID / application username to ${sso.emailAttribute.source} (Email), the same field as the email attribute`,
        }),
      );
    }
  }
  return out;
}

/**
 * Names under which the email attribute of R-S4 arrives: `email` itself (Okta, OneLogin, Google),
 * and the email claim Microsoft Entra sends by default, under its WS-Federation URI
 * `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress` (the Entra SAML guides
 * map exactly this claim as the email). Anything else (`mail`, `upn`, a custom name) is reported.
 */
export function isEmailAttributeName(name: string): boolean {
  const n = name.trim().toLowerCase();
  return n === 'email' || n === 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
}
