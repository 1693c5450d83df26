import type { Finding } from '../../schemas/finding';
import type { OrgConfig } from '../../schemas/config';
import type { DirectorySnapshot } from '../../schemas/snapshot';
import { domainClaimIssues, idpMismatch, verifiedDomains } from '../../rules/parent';
import { provisioningAvailability } from '../../rules/provisioning';
import { finding } from './findings';
import { orgLabel } from './context';
import { vendorIdentity } from './where';

const IDP_NAME: Record<string, string> = {
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  google: 'Google Workspace',
  onelogin: 'OneLogin',
  generic: 'a generic IdP',
};

/** R-P4, R-P2, R-S1, R-D1: the parent's IdP and domains. */
export function checkParent(snapshot: DirectorySnapshot, config: OrgConfig): Finding[] {
  const out: Finding[] = [];
  const parent = { kind: 'parent' as const, ...(config.parent.id ? { id: config.parent.id } : {}) };
  const identity =
    config.organizations.some((o) => o.surface === 'claude') || config.organizations.length === 0
      ? vendorIdentity('claude')
      : vendorIdentity('console');

  const mismatch = idpMismatch(snapshot, config);
  if (mismatch) {
    out.push(
      finding('IDP_MISMATCH', {
        subject: parent,
        message: `The snapshot was read from ${IDP_NAME[mismatch.snapshot]} but the parent organization is linked to ${IDP_NAME[mismatch.parent]}; a parent links to exactly one IdP and every org under it is managed through that IdP`,
        fix: `Audit a snapshot of the ${IDP_NAME[mismatch.parent]} app (claude-idp snapshot --idp ${mismatch.parent}), or, if the parent really moved to ${IDP_NAME[mismatch.snapshot]}, set parent.idp: ${mismatch.snapshot} in the config after following the switch-IdP runbook (claude-idp runbook switch-idp)`,
      }),
    );
  }

  for (const issue of domainClaimIssues(config.parent)) {
    const text =
      issue.kind === 'invalid'
        ? `"${issue.domain}" in parent.${issue.list}Domains is not a domain name`
        : issue.kind === 'duplicate'
          ? `${issue.domain} is listed twice in parent.${issue.list}Domains`
          : `${issue.domain} is both verified and pending; a domain is claimed once by one parent`;
    out.push(
      finding('DOMAIN_CLAIM_CONFLICT', {
        subject: { kind: 'domain', name: issue.domain },
        message: text,
        fix:
          issue.kind === 'verified-and-pending'
            ? `Check its status at ${identity} → Domains and keep ${issue.domain} in only one of parent.verifiedDomains / parent.pendingDomains`
            : `Correct parent.${issue.list}Domains in the config to match ${identity} → Domains`,
      }),
    );
  }

  const verified = verifiedDomains(config.parent);
  const usesSso =
    config.organizations.some((o) => o.provisioning.mode !== 'manual') ||
    snapshot.app.sso !== null ||
    !!config.parent.requireSso?.claude ||
    !!config.parent.requireSso?.console;
  if (verified.length === 0 && usesSso) {
    const pending = config.parent.pendingDomains ?? [];
    out.push(
      finding('DOMAIN_NOT_VERIFIED', {
        subject: parent,
        message: `The parent organization has no verified domain${pending.length ? ` (${pending.join(', ')} still pending)` : ''}; SSO cannot be configured or enforced without one`,
        fix: `At ${identity} → Add domain, publish the TXT record it shows in your DNS (for a subdomain, on that subdomain), wait up to 10 minutes and click Refresh until it shows Verified; then list it in parent.verifiedDomains`,
      }),
    );
  }
  if (config.parent.restrictOrgCreation && verified.length === 0) {
    out.push(
      finding('RESTRICT_ORG_CREATION_UNAVAILABLE', {
        subject: parent,
        message:
          'parent.restrictOrgCreation is on, but the toggle only exists once a domain is verified: nothing blocks new orgs (personal accounts included) on your domains yet',
        fix: `Verify your domain at ${identity} → Add domain, then turn on Security → Restrict organization creation`,
      }),
    );
  }
  for (const d of [...new Set(config.parent.pendingDomains ?? [])].sort()) {
    if (verified.includes(d.toLowerCase())) continue;
    out.push(
      finding('DOMAIN_PENDING', {
        subject: { kind: 'domain', name: d },
        message: `${d} is still Pending verification: people on it are not covered by SSO yet (verifying changes nobody's access by itself, R-D2)`,
        fix: `Check the TXT record for ${d} is published (on ${d} itself if it is a subdomain), then click Refresh at ${identity} → Domains; propagation takes up to about 10 minutes`,
      }),
    );
  }
  return out;
}

/** R-P1, R-V2, R-S3, R-P5, R-G2, R-V1: per org, what its plan and parent allow. */
export function checkOrgSetup(snapshot: DirectorySnapshot, config: OrgConfig): Finding[] {
  const out: Finding[] = [];
  const active = config.organizations.filter((o) => o.provisioning.mode !== 'manual');
  for (const org of config.organizations) {
    const subject = { kind: 'org' as const, id: org.id, ...(org.name ? { name: org.name } : {}) };
    const a = provisioningAvailability(config, org);
    const mode = org.provisioning.mode;
    const identity = vendorIdentity(org.surface);

    if (a.parent.kind === 'none') {
      const needsSso = mode !== 'manual' || !!config.parent.requireSso?.console;
      out.push(
        finding('PARENT_ORG_MISSING', {
          orgId: org.id,
          severity: needsSso ? 'error' : 'warning',
          subject,
          message: `Console org ${orgLabel(org)} has no parent organization, so it has no SSO, JIT or SCIM${needsSso ? ` (it is set to ${mode}${config.parent.requireSso?.console ? ' with Require SSO' : ''})` : ''}: ${a.parent.why}`,
          fix: `If Sales already created a parent for it, set parentSource: sales on this org in the config; otherwise fill in the Contact Sales form to request one, or have an Owner of your Team/Enterprise org invite it at claude.ai/admin-settings/identity → Merge Organizations → Invite (then parentSource: merged-team / merged-enterprise)`,
        }),
      );
    }
    if (a.parent.kind === 'ambiguous') {
      out.push(
        finding('PARENT_SOURCE_AMBIGUOUS', {
          orgId: org.id,
          severity: mode === 'scim' ? 'error' : 'warning',
          subject,
          message: `Cannot tell whether Console org ${orgLabel(org)} joined a Team or an Enterprise parent, which decides whether it may use SCIM: ${a.parent.why}`,
          fix: `Set parentSource: merged-enterprise or merged-team on this org in the config (platform.claude.com/settings/identity shows the parent it joined)`,
        }),
      );
    }
    if (mode === 'scim' && a.modes.scim.available === false) {
      out.push(
        finding('SCIM_NOT_AVAILABLE', {
          orgId: org.id,
          rule: a.modes.scim.rule,
          subject,
          message: `${orgLabel(org)} is set to SCIM but ${a.modes.scim.reason}`,
          fix:
            org.surface === 'claude'
              ? `Use JIT: at ${identity} → Provisioning mode choose "Just in time (JIT)" and set provisioning.mode: jit in the config (SCIM needs the Enterprise plan)`
              : `Use JIT at ${identity} → Provisioning mode (and provisioning.mode: jit in the config), or ask Sales for a parent of its own / join an Enterprise parent to get SCIM`,
        }),
      );
    }
    if (org.surface === 'console' && (a.parent.kind === 'team' || a.parent.kind === 'enterprise')) {
      out.push(
        finding('IDP_INITIATED_CONSOLE', {
          orgId: org.id,
          subject,
          message: `Console org ${orgLabel(org)} shares its parent with ${a.parent.kind === 'team' ? 'a Team' : 'an Enterprise'} org, so IdP-initiated login (clicking the ${snapshot.app.name} tile) lands on claude.ai, not the Console`,
          fix: `Add a bookmark app named "Claude Console" in your IdP pointing to https://console.anthropic.com/login?sso=true (SP-initiated login) and assign it to the Console users`,
        }),
      );
    }
    const gm = org.provisioning.groupMappings;
    if (mode === 'manual' && gm?.enabled) {
      out.push(
        finding('MAPPINGS_IGNORED_MANUAL', {
          orgId: org.id,
          subject,
          message: `${orgLabel(org)} has group mappings enabled but is in Manual mode, where group mappings do nothing (they need JIT or SCIM)`,
          fix: `Choose JIT or SCIM at ${identity} → Provisioning mode (provisioning.mode in the config), or turn the mappings off`,
        }),
      );
    }
    if (org.surface === 'console' && gm?.seatTiers && Object.values(gm.seatTiers).some((g) => g.length > 0)) {
      out.push(
        finding('SEAT_TIERS_CONSOLE', {
          orgId: org.id,
          subject,
          message: `${orgLabel(org)} is a Console org: seat-tier mappings exist only on claude.ai and are ignored`,
          fix: `Remove provisioning.groupMappings.seatTiers from this org in the config`,
        }),
      );
    }
    if (active.length > 1 && mode !== 'manual' && !gm?.enabled) {
      out.push(
        finding('SHARED_APP_UNSCOPED', {
          orgId: org.id,
          subject,
          message: `${active.length} orgs share the parent's SSO app, and ${orgLabel(org)} (${mode}) has no group mappings, so everyone assigned to the app is provisioned into it`,
          fix: `Give each org its own groups (R-G7): enable group mappings at ${identity} → Organization access → Enable group mappings, mapped to groups such as ${org.surface === 'claude' ? 'anthropic-claudeai' : 'anthropic-console'}-<org8>-<role>`,
        }),
      );
    }
  }
  return out;
}
