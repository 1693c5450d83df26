import { InputError } from '../../errors/input-error';
import type { IdpKind } from '../../schemas/common';
import type { Organization, OrgConfig, ProvisioningMode, Surface } from '../../schemas/config';
import type { DirectorySnapshot } from '../../schemas/snapshot';
import { scimCycleMinutes } from './timing';

export type SwitchIdpStepId =
  | 'disable-scim-pushes'
  | 'wait-for-pushes'
  | 'set-manual'
  | 'delete-scim-directory'
  | 'reset-sso'
  | 'verify-reset'
  | 'setup-new-idp'
  | 're-enable-provisioning';

export interface RunbookTarget {
  orgId: string;
  name?: string;
  surface: Surface;
  /** Where to do it for this org. */
  where: string;
  status: 'todo' | 'skipped';
  /** Why this org skips the step. */
  skippedBecause?: string;
  /** What to set, for steps that set something per org (e.g. the mode to go back to). */
  value?: string;
}

export interface RunbookStep {
  /** 1-based, in the order they must be done. */
  n: number;
  id: SwitchIdpStepId;
  title: string;
  rule: string;
  /** 'skipped' when no org needs it. */
  status: 'todo' | 'skipped';
  skippedBecause?: string;
  /** Which side: the old IdP, the vendor (Identity and access pages), or the new IdP. */
  side: 'old-idp' | 'claude' | 'new-idp';
  /** The orgs the step touches (global steps list every connected org). */
  targets: RunbookTarget[];
  /** What to do, concretely. */
  actions: string[];
  /** The wait step: how long to wait before the next step. */
  waitMinutes?: number;
  /** What to check before moving on. */
  check: string;
  /** What the step does to people who are signed in. */
  effectOnUsers: string;
}

export interface SwitchIdpRunbook {
  kind: 'switch-idp';
  from: IdpKind;
  to: IdpKind;
  /** R-W1: who may run it, per org. */
  who: { rule: 'R-W1'; perOrg: { orgId: string; name?: string; role: string }[]; text: string };
  /** Before you begin (seed 003), including R-W3. */
  before: string[];
  /** Things to know about this config (the IdP named in the config is not `from`, an org in SCIM on a plan that cannot have it...). */
  notes: string[];
  steps: RunbookStep[];
  lines: string[];
}

const IDENTITY_PAGE: Record<Surface, string> = {
  claude: 'claude.ai/admin-settings/identity',
  console: 'platform.claude.com/settings/identity',
};

const IDP_NAME: Record<IdpKind, string> = {
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  google: 'Google Workspace',
  onelogin: 'OneLogin',
  generic: 'the IdP',
};

/** How to stop SCIM pushes in each IdP's admin console (UI paths; the vendor docs may word them differently). */
const STOP_PUSHES: Record<IdpKind, string> = {
  okta: 'Okta: Applications → Claude → Provisioning → To App: turn off Create Users, Update User Attributes and Deactivate Users (R-K2)',
  entra: 'Microsoft Entra ID: Enterprise applications → Claude → Provisioning: set Provisioning Status to Off',
  google: 'Google Workspace: Apps → Web and mobile apps → Claude → Auto-provisioning: turn it off',
  onelogin: 'OneLogin: Applications → Claude → Provisioning: clear "Enable provisioning" and save',
  generic: 'In the old IdP, turn off SCIM provisioning (Create / Update events) for the Claude app',
};

const SET_UP_SSO: Record<IdpKind, string> = {
  okta: 'Okta: create a SAML 2.0 app "Claude", Name ID format EmailAddress, application username Email, attribute statement email = user.email (R-K1); for SCIM, enable API integration and To App Create / Update / Deactivate, with the email mapped from the same field as SAML (R-K2)',
  entra:
    'Microsoft Entra ID: add the Claude enterprise application with SAML, NameID and the email claim from the same attribute (user.mail or user.userPrincipalName) that SCIM sends as emails[work]; assign groups directly (nested groups do not get the app); SCIM changes then arrive about every 40 minutes (R-V4)',
  google:
    'Google Workspace: add a custom SAML app "Claude", Name ID format EMAIL from Primary email, attribute email = Primary email; for SCIM, turn on auto-provisioning',
  onelogin:
    'OneLogin: add the Claude SAML app, NameID and the email parameter from Email; for SCIM, enable provisioning with the same email field',
  generic:
    'Set up the Claude app in the new IdP: SAML 2.0, NameID format EmailAddress, attribute email from the same field SCIM sends (R-S4, R-S5)',
};

function modeName(mode: ProvisioningMode): string {
  return mode === 'jit' ? 'Just-in-Time (JIT)' : mode === 'scim' ? 'Directory sync (SCIM)' : 'Manual';
}

/** A step that is to do when `applies`, else skipped for `because`. */
function todoUnless(applies: boolean, because: string): Pick<RunbookStep, 'status' | 'skippedBecause'> {
  return applies ? { status: 'todo' } : { status: 'skipped', skippedBecause: because };
}

function targetOf(
  org: Organization,
  status: 'todo' | 'skipped',
  skippedBecause?: string,
  value?: string,
): RunbookTarget {
  return {
    orgId: org.id,
    ...(org.name ? { name: org.name } : {}),
    surface: org.surface,
    where: IDENTITY_PAGE[org.surface],
    status,
    ...(skippedBecause ? { skippedBecause } : {}),
    ...(value ? { value } : {}),
  };
}

export interface SwitchIdpArgs {
  config: OrgConfig;
  from: IdpKind;
  to: IdpKind;
  /** The current snapshot of the old IdP, if at hand: the runbook then names the email sources the new IdP must match (R-W3). */
  snapshot?: DirectorySnapshot;
}

/**
 * The switch-IdP runbook (seed 003, R-W1, R-W2, R-W3) for every org under the parent: the ordered
 * steps with the waits, the checks between steps, and what each step does to signed-in people.
 * Steps that only concern SCIM are skipped, with why, for orgs that do not use it (and as a whole
 * when none does); steps that are global to the parent (the SSO connection, R-P5) list every org.
 * Pure: the same config gives the same runbook.
 */
function switchIdp(args: SwitchIdpArgs): SwitchIdpRunbook {
  const { config, from, to } = args;
  const orgs = config.organizations;
  if (orgs.length === 0) {
    throw new InputError({
      source: 'runbook.switchIdp({ config })',
      issues: [{ path: 'organizations', expected: 'at least one org under the parent' }],
    });
  }
  const scimOrgs = orgs.filter((o) => o.provisioning.mode === 'scim');
  const anyProvisioning = orgs.some((o) => o.provisioning.mode !== 'manual');
  const anyScim = scimOrgs.length > 0;
  const noScim = 'does not use SCIM';
  const fromCycle = from === 'entra' ? 40 : args.snapshot?.idp === from ? scimCycleMinutes(args.snapshot) : null;
  const waitMinutes = Math.max(60, fromCycle ?? 0);

  const notes: string[] = [];
  if (config.parent.idp !== from)
    notes.push(
      `the config says the parent is linked to ${IDP_NAME[config.parent.idp]}, not ${IDP_NAME[from]}: check which IdP is live before starting (R-P4)`,
    );
  if (from === to)
    notes.push(
      `from and to are both ${IDP_NAME[to]}: the same steps move the parent to a new tenant or app of the same IdP`,
    );
  for (const o of scimOrgs) {
    if (o.plan === 'team')
      notes.push(
        `${label(o)} is in SCIM mode on a Team plan, which cannot have SCIM (R-V2): it will have to come back as JIT`,
      );
  }
  if (config.parent.requireSso?.claude || config.parent.requireSso?.console) {
    notes.push(
      '"Require SSO" is on: between the reset (step 5) and the new IdP being live, people sign in with an email link; tell them before you start',
    );
  }

  const who = {
    rule: 'R-W1' as const,
    perOrg: orgs.map((o) => ({
      orgId: o.id,
      ...(o.name ? { name: o.name } : {}),
      role: o.surface === 'console' ? 'Admin' : 'Owner or Primary Owner',
    })),
    text: 'Only an Owner or Primary Owner (Team / Enterprise) or an Admin (Console) can switch the IdP; have one for every org below at hand.',
  };

  const src = args.snapshot?.app;
  const emailSources = src
    ? ` (today: SAML email from ${src.sso?.emailAttribute?.source ?? src.sso?.nameIdSource ?? 'unknown'}${src.scim ? `, SCIM email from ${src.scim.emailSource ?? src.scim.userNameSource ?? 'unknown'}` : ''})`
    : '';
  const before = [
    `Confirm the role: ${who.text}`,
    'Tell people in advance that they will be signed out during the switch and can sign in with an email link until the new IdP is live.',
    'Schedule the switch in a low-disruption window.',
    `Make sure the new IdP sends exactly the same email for every person in SSO and SCIM as ${IDP_NAME[from]} does${emailSources}; any difference creates duplicate accounts (R-W3, R-S5).`,
  ];

  const all = () => orgs.map((o) => targetOf(o, 'todo'));
  const steps: Omit<RunbookStep, 'n'>[] = [
    {
      id: 'disable-scim-pushes',
      title: `Disable SCIM pushes from ${IDP_NAME[from]}`,
      rule: 'R-W2',
      side: 'old-idp',
      ...todoUnless(anyScim, 'no org uses SCIM'),
      targets: orgs.map((o) =>
        targetOf(
          o,
          o.provisioning.mode === 'scim' ? 'todo' : 'skipped',
          o.provisioning.mode === 'scim' ? undefined : noScim,
        ),
      ),
      actions: [
        STOP_PUSHES[from],
        'Stop Create and Update events so that no sync signal reaches Claude during the switch.',
      ],
      check: `The provisioning log of ${IDP_NAME[from]} shows no new events for the Claude app.`,
      effectOnUsers:
        'None: people stay in their orgs and signed in; changes made in the IdP from now on no longer reach Claude.',
    },
    {
      id: 'wait-for-pushes',
      title: `Wait about ${waitMinutes === 60 ? 'one hour' : `${waitMinutes} minutes`}`,
      rule: 'R-W2',
      side: 'old-idp',
      ...todoUnless(anyScim, 'no SCIM pushes to let drain'),
      targets: orgs.map((o) =>
        targetOf(
          o,
          o.provisioning.mode === 'scim' ? 'todo' : 'skipped',
          o.provisioning.mode === 'scim' ? undefined : noScim,
        ),
      ),
      actions: [
        `Wait approximately one hour after disabling SCIM pushes, so that pushes already queued are delivered${from === 'entra' ? ' (Entra pushes only about every 40 minutes, R-V4)' : ''}.`,
      ],
      waitMinutes,
      check: 'An hour has passed since step 1, and no new provisioning events have appeared since.',
      effectOnUsers: 'None.',
    },
    {
      id: 'set-manual',
      title: 'Set the provisioning mode to Manual in every connected org',
      rule: 'R-W2',
      side: 'claude',
      ...todoUnless(anyProvisioning, 'every org is already in Manual mode'),
      targets: orgs.map((o) =>
        o.provisioning.mode === 'manual'
          ? targetOf(o, 'skipped', 'already in Manual mode')
          : targetOf(o, 'todo', undefined, 'Manual'),
      ),
      actions: [
        "On each org's Identity and access page, under Global SSO Configuration, set the provisioning mode to Manual and save.",
      ],
      check: "Every org's Identity and access page shows provisioning mode Manual.",
      effectOnUsers:
        'None visible: people remain in the org but are no longer subject to SCIM events; under JIT, new people are no longer created at login.',
    },
    {
      id: 'delete-scim-directory',
      title: 'Delete the SCIM directory',
      rule: 'R-W2',
      side: 'claude',
      ...todoUnless(anyScim, 'no org uses SCIM, so there is no directory to delete'),
      targets: orgs.map((o) =>
        targetOf(
          o,
          o.provisioning.mode === 'scim' ? 'todo' : 'skipped',
          o.provisioning.mode === 'scim' ? undefined : noScim,
        ),
      ),
      actions: [
        'Click "Manage SCIM" → "Delete Directory". Only after step 3: in Manual mode deleting the directory triggers no directory sync events, including no deprovisioning.',
      ],
      check:
        'The mode is Manual before you delete (if not, stop: deleting in SCIM mode deprovisions people); afterwards "Manage SCIM" shows no directory.',
      effectOnUsers: 'None while in Manual mode: nobody is deprovisioned.',
    },
    {
      id: 'reset-sso',
      title: 'Reset the SSO connection',
      rule: 'R-W2',
      side: 'claude',
      status: 'todo',
      targets: all(),
      actions: [
        'Click "Manage SSO" → "Reset Connection". The connection is global to the parent organization (R-P5): this one reset covers every org below.',
      ],
      check: 'Proceed to the verification right away.',
      effectOnUsers:
        'Signs out every user of every org under the parent. They can sign in with an email link until the new IdP is configured for SSO.',
    },
    {
      id: 'verify-reset',
      title: 'Verify the reset',
      rule: 'R-W2',
      side: 'claude',
      status: 'todo',
      targets: all(),
      actions: ['Refresh the Identity and access page.'],
      check:
        'The button reads "Setup SSO" where it read "Manage SSO". If it still says "Manage SSO", the reset did not take: do not set up the new IdP yet.',
      effectOnUsers: 'None further (people use email-link sign-in meanwhile).',
    },
    {
      id: 'setup-new-idp',
      title: `Set up ${IDP_NAME[to]} for SSO, provisioning and group mappings`,
      rule: 'R-W2',
      side: 'new-idp',
      status: 'todo',
      targets: orgs.map((o) =>
        targetOf(
          o,
          'todo',
          undefined,
          o.provisioning.groupMappings?.enabled
            ? `${modeName(o.provisioning.mode)} + group mappings`
            : modeName(o.provisioning.mode),
        ),
      ),
      actions: [
        'Click "Setup SSO" and follow the SSO setup steps for the new IdP.',
        SET_UP_SSO[to],
        ...(anyScim
          ? [
              'Set up SCIM directory sync ("Setup SCIM") for the orgs that use it, and push the groups whose names start with "anthropic-" (R-G4, R-G5).',
            ]
          : []),
        "Assign every person who needs access to the new IdP's Claude app, in the right groups for every connected org, before re-enabling provisioning; with group mappings, make sure the groups are marked seen (R-G5) and that you are in a group mapped to Owner / Admin (R-G6).",
      ],
      check: `A test person signs in through ${IDP_NAME[to]} and lands in the right org${anyScim ? '; "Manage SCIM" shows the synced people associated with the right groups' : ''}.`,
      effectOnUsers: 'People can sign in with SSO again, through the new IdP.',
    },
    {
      id: 're-enable-provisioning',
      title: 'Re-enable the provisioning mode',
      rule: 'R-W2',
      side: 'claude',
      ...todoUnless(anyProvisioning, 'every org was in Manual mode before the switch'),
      targets: orgs.map((o) =>
        o.provisioning.mode === 'manual'
          ? targetOf(o, 'skipped', 'was in Manual mode before the switch')
          : targetOf(o, 'todo', undefined, modeName(o.provisioning.mode)),
      ),
      actions: [
        'On each org, switch the provisioning mode back to what it was (below) and click "Save Changes". With group mappings, save only once everyone is in the mapped groups: saving first deprovisions them (R-G6).',
      ],
      check:
        'Each org shows its provisioning mode again; run `claude-idp plan` against the new IdP and expect no unexpected deprovisions.',
      effectOnUsers:
        'Provisioning resumes: SCIM creates, updates and removes people from the new IdP; JIT creates people at their next login.',
    },
  ];

  const numbered = steps.map((s, i) => ({ n: i + 1, ...s }));
  const result: SwitchIdpRunbook = { kind: 'switch-idp', from, to, who, before, notes, steps: numbered, lines: [] };
  result.lines = renderRunbook(result);
  return result;
}

function label(o: Organization): string {
  return o.name ? `${o.name} (${o.id})` : o.id;
}

function renderRunbook(r: SwitchIdpRunbook): string[] {
  const lines: string[] = [
    `Switch the IdP from ${IDP_NAME[r.from]} to ${IDP_NAME[r.to]} (R-W2)`,
    `Who: ${r.who.text} [R-W1]`,
  ];
  for (const o of r.who.perOrg) lines.push(`  - ${o.name ? `${o.name} ` : ''}[${o.orgId}]: ${o.role}`);
  lines.push('Before you begin:');
  for (const b of r.before) lines.push(`  - ${b}`);
  for (const n of r.notes) lines.push(`Note: ${n}`);
  for (const s of r.steps) {
    lines.push(`${s.n}. ${s.title}${s.status === 'skipped' ? ` — skipped: ${s.skippedBecause}` : ''}`);
    if (s.status === 'skipped') continue;
    for (const a of s.actions) lines.push(`   - ${a}`);
    for (const t of s.targets) {
      lines.push(
        `   · ${t.name ? `${t.name} ` : ''}[${t.orgId}] ${t.where}${t.value ? `: ${t.value}` : ''}${t.status === 'skipped' ? ` (skip: ${t.skippedBecause})` : ''}`,
      );
    }
    lines.push(`   Check: ${s.check}`);
    lines.push(`   Signed-in users: ${s.effectOnUsers}`);
  }
  return lines;
}

/** Runbooks: ordered, checkable procedures from the vendor's articles. */
export const runbook = Object.freeze({ switchIdp });
export { switchIdp as switchIdpRunbook };
