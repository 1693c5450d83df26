import type { PlanAction } from '@claude-idp/core';
import { DEFAULT_ROLE } from '@claude-idp/core';
import { canAssign, guessKind, isDowngrade, isProtected, manualScreen } from './anthropic-roles';
import type { ProvisioningModeValue } from './anthropic-api-facts';
import type { AnthropicOrgKind } from './anthropic-settings';
import type { ActionCode, MemberState } from './anthropic-summary';

export type Op =
  | { type: 'createInvite'; email: string; role: string }
  | { type: 'deleteInvite'; inviteId: string }
  | { type: 'updateRole'; userId: string; role: string }
  | { type: 'removeUser'; userId: string };

export type Decision =
  | { kind: 'execute'; ops: Op[]; before: MemberState | null; after: MemberState | null }
  | { kind: 'skip' | 'refuse' | 'fail'; code: ActionCode; reason: string; before?: MemberState | null }
  | {
      kind: 'manual';
      code: ActionCode;
      reason: string;
      screen: string;
      instructions: string;
      before?: MemberState | null;
    };

export interface DecideContext {
  /** True when the action belongs to the org this key manages. */
  managed: boolean;
  kind: AnthropicOrgKind;
  planComplete: boolean;
  /** The member as the fresh read (plus this run's changes) shows them; null when absent. */
  current: (MemberState & { id: string }) | null;
  /** How the plan found them, when an earlier run of it touched them (from the audit trail). */
  original?: MemberState | null;
  /** The org's enforced provisioning mode (Compliance settings, else the config's): gates every write. */
  mode?: ProvisioningModeValue;
}

/**
 * What the Admin API refuses by provisioning mode (user-management guide, verbatim: invites are
 * refused when the IdP provisions (JIT or SCIM); role updates when the IdP manages roles
 * (advanced SSO or advanced SCIM); removals when the IdP manages membership (SCIM)). Those
 * refusals are a bare 400 without `error_code`, so they are decided here, before sending.
 *
 * Under SCIM every membership change is the IdP's, including role changes under
 * `scim_permissive` (the guide refuses them only under advanced; the SCIM-managed roles make a
 * manual role change short-lived, so the IdP-side fix is given instead). Under JIT removals are
 * allowed: stale JIT members hold seats, and removing them is the main job of apply there.
 */
export function modeGate(
  a: PlanAction,
  mode: ProvisioningModeValue | undefined,
): { code: ActionCode; reason: string } | null {
  if (!mode || mode === 'login_only') return null;
  const scim = mode.startsWith('scim_');
  const advanced = mode.endsWith('_advanced');
  const to = a.to ?? DEFAULT_ROLE;
  if (scim) {
    if (a.action === 'provision')
      return {
        code: 'HANDLED_BY_SCIM',
        reason: `handled by SCIM (${mode}): the API refuses invites here. IdP-side fix: assign ${a.email} to the Claude app (or a group pushed to it); SCIM creates them at the next sync`,
      };
    if (a.action === 'deprovision')
      return {
        code: 'HANDLED_BY_SCIM',
        reason: `handled by SCIM (${mode}): the API refuses removals here. IdP-side fix: unassign ${a.email} from the Claude app (or deactivate them); SCIM removes them at the next sync`,
      };
    if (a.action === 'changeRole')
      return {
        code: 'HANDLED_BY_SCIM',
        reason: `handled by SCIM (${mode}): roles come from the IdP. IdP-side fix: put ${a.email} in the IdP group mapped to ${to}${advanced ? '' : ' (or turn on group mappings)'}`,
      };
    return null;
  }
  if (a.action === 'provision')
    return {
      code: 'HANDLED_BY_JIT',
      reason: `handled by JIT (${mode}): the API refuses invites here; ${a.email} is created at their first SSO login. IdP-side fix: assign them to the Claude app`,
    };
  if (a.action === 'changeRole' && advanced)
    return {
      code: 'HANDLED_BY_JIT',
      reason: `handled by JIT group mappings (${mode}): the API refuses role updates here. IdP-side fix: put ${a.email} in the IdP group mapped to ${to}; the role applies at their next login`,
    };
  return null;
}

export function instructions(a: PlanAction): string {
  switch (a.action) {
    case 'provision':
      return `Invite ${a.email} as ${a.to ?? DEFAULT_ROLE}`;
    case 'changeRole':
      return `Change ${a.email} from ${a.from ?? '(current role)'} to ${a.to}`;
    case 'deprovision':
      return `Remove ${a.email} from the organization`;
    case 'changeSeatTier':
      return `Move ${a.email} from the ${a.from ?? 'current'} seat tier to ${a.to}`;
    default:
      return `Nothing to do for ${a.email}`;
  }
}

/**
 * What to do with one plan action against the fresh state: execute (the API calls that make it
 * true), skip (already true, or not an apply-time action), turn into a manual step (what the API
 * cannot do), refuse (deprovision / downgrade from an incomplete plan) or fail (inconsistent).
 * Pure: the same action and state always give the same decision.
 */
export function decide(a: PlanAction, ctx: DecideContext): Decision {
  if (a.action === 'none') return { kind: 'skip', code: 'NO_OP', reason: 'no change planned' };
  if (a.when !== 'manual')
    return {
      kind: 'skip',
      code: 'HANDLED_BY_IDP',
      reason: `happens ${a.when === 'nextLogin' ? 'at the next login (JIT)' : a.when === 'nextSyncCycle' ? 'at the next SCIM sync' : 'through the IdP'}; apply does not do it`,
    };
  const cur = ctx.current;
  const before: MemberState | null = cur && { role: cur.role, status: cur.status, id: cur.id };
  const kind = ctx.managed ? ctx.kind : guessKind([a.from, a.to]);
  const manual = (code: ActionCode, reason: string): Decision => ({
    kind: 'manual',
    code,
    reason,
    screen: manualScreen(kind),
    instructions: instructions(a),
    before,
  });
  const lowering =
    a.action === 'deprovision' ||
    (a.action === 'changeRole' && isDowngrade(kind === 'unknown' ? 'console' : kind, cur?.role ?? a.from, a.to));
  if (!ctx.planComplete && lowering && !(ctx.managed && alreadyTrue(a, cur))) {
    return {
      kind: 'refuse',
      code: 'INCOMPLETE_PLAN',
      reason: 'the plan was built from an incomplete read: no deprovision or downgrade may be applied from it',
      before,
    };
  }
  if (a.action === 'changeSeatTier') return manual('SEAT_TIER', 'the Admin API has no seat-tier setting');
  if (!ctx.managed)
    return manual(
      'OTHER_ORG',
      "this admin key does not manage that org (another org's key, or a claude.ai org without Admin API support)",
    );
  if (alreadyTrue(a, cur))
    return {
      kind: 'skip',
      code: 'ALREADY_TRUE',
      reason: cur ? `already ${cur.status === 'invited' ? 'invited' : 'a member'} as ${cur.role}` : 'not a member',
      before,
    };
  // Protected roles (Primary Owner, owners, admins) are never attempted, whatever the mode: they stay manual steps below.
  const gate = cur && a.action !== 'provision' && isProtected(ctx.kind, cur.role) ? null : modeGate(a, ctx.mode);
  if (gate) return { kind: 'skip', code: gate.code, reason: gate.reason, before };
  const k = ctx.kind;
  const cannotGive = (role: string) =>
    manual(
      isProtected(k, role) ? 'ADMIN_ROLE' : 'ROLE_NOT_SETTABLE',
      `the API cannot give the ${role} role in a ${k} org`,
    );

  switch (a.action) {
    case 'provision': {
      const role = a.to ?? DEFAULT_ROLE;
      if (cur?.status === 'active')
        return { kind: 'skip', code: 'ALREADY_TRUE', reason: `already a member as ${cur.role}`, before };
      if (!canAssign(k, role)) return cannotGive(role);
      const ops: Op[] = cur ? [{ type: 'deleteInvite', inviteId: cur.id }] : [];
      return {
        kind: 'execute',
        ops: [...ops, { type: 'createInvite', email: a.email, role }],
        before,
        after: { role, status: 'invited' },
      };
    }
    case 'changeRole': {
      if (!a.to) return { kind: 'fail', code: 'NOT_FOUND', reason: 'the action names no target role', before };
      if (!cur && ctx.original?.status === 'invited' && canAssign(k, a.to)) {
        // An earlier run withdrew their invite to re-send it with the new role, and stopped between the two.
        return {
          kind: 'execute',
          ops: [{ type: 'createInvite', email: a.email, role: a.to }],
          before,
          after: { role: a.to, status: 'invited' },
        };
      }
      if (!cur)
        return {
          kind: 'fail',
          code: 'NOT_FOUND',
          reason: 'not a member of the org, so there is no role to change',
          before,
        };
      if (isProtected(k, cur.role))
        return manual('ADMIN_ROLE', `the API cannot change someone who holds the ${cur.role} role`);
      if (!canAssign(k, a.to)) return cannotGive(a.to);
      if (cur.status === 'invited') {
        // An invite's role cannot be updated: withdraw it and invite again with the new role.
        return {
          kind: 'execute',
          ops: [
            { type: 'deleteInvite', inviteId: cur.id },
            { type: 'createInvite', email: a.email, role: a.to },
          ],
          before,
          after: { role: a.to, status: 'invited' },
        };
      }
      return {
        kind: 'execute',
        ops: [{ type: 'updateRole', userId: cur.id, role: a.to }],
        before,
        after: { role: a.to, status: 'active', id: cur.id },
      };
    }
    case 'deprovision': {
      if (!cur) return { kind: 'skip', code: 'ALREADY_TRUE', reason: 'not a member', before };
      if (cur.status === 'invited')
        return { kind: 'execute', ops: [{ type: 'deleteInvite', inviteId: cur.id }], before, after: null };
      if (isProtected(k, cur.role))
        return manual('ADMIN_ROLE', `the API cannot remove someone who holds the ${cur.role} role`);
      return { kind: 'execute', ops: [{ type: 'removeUser', userId: cur.id }], before, after: null };
    }
  }
}

function alreadyTrue(a: PlanAction, cur: DecideContext['current']): boolean {
  if (a.action === 'deprovision') return cur === null;
  if (a.action === 'changeRole') return cur !== null && cur.role === a.to?.toLowerCase();
  if (a.action === 'provision')
    return cur !== null && (cur.status === 'active' || cur.role === (a.to ?? DEFAULT_ROLE).toLowerCase());
  return false;
}
