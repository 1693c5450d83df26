import type { Finding } from '../../schemas/finding';
import type { Surface } from '../../schemas/config';
import { compareStrings } from '../../rules/access';
import { domainClassifier } from '../../rules/parent';
import type { CheckContext } from './context';
import type { DomainMember } from './domain-members';
import { finding } from './findings';
import { vendorIdentity } from './where';

export interface SsoLockedOut {
  email: string;
  /** The accounts they lose (organization names / ids / account types from the export). */
  accounts: string[];
  surface: Surface;
  /** Why they cannot log in with SSO. */
  reason: 'not-in-idp' | 'not-assigned' | 'inactive';
}

/**
 * R-S2 with R-D3: under Require SSO, people on a verified domain who are not assigned to the IdP
 * app (or not active there) lose access to their existing free / Pro / Team / Max / Console
 * accounts; the accounts are not deleted. Rows without a surface count as claude.ai (free / Pro /
 * Team / Max are claude.ai accounts).
 */
export function requireSsoLockouts(
  ctx: CheckContext,
  domainMembers: readonly DomainMember[],
  surfaces: readonly Surface[],
): SsoLockedOut[] {
  const { index, people, config } = ctx;
  const classify = domainClassifier(config.parent);
  const byKey = new Map<string, SsoLockedOut>();
  for (const row of domainMembers) {
    const surface = row.surface ?? 'claude';
    if (!surfaces.includes(surface)) continue;
    if (classify(row.email).status !== 'verified') continue;
    const ids = index.lookupEmail(row.email);
    let reason: SsoLockedOut['reason'] | null = ids.length === 0 ? 'not-in-idp' : 'not-assigned';
    for (const id of ids) {
      const p = people.positionOf(id)!;
      if (!people.isAssigned(p)) continue;
      if (index.usersSorted[p]!.status === 'active') {
        reason = null;
        break;
      }
      reason = 'inactive';
    }
    if (reason === null) continue;
    const key = `${surface}\u0000${row.email}`;
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { email: row.email, accounts: [], surface, reason }));
    const account = [row.organizationName ?? row.organizationId, row.accountType].filter(Boolean).join(' — ');
    if (account && !entry.accounts.includes(account)) entry.accounts.push(account);
  }
  return [...byKey.values()]
    .map((e) => ({ ...e, accounts: e.accounts.sort(compareStrings) }))
    .sort((a, b) => compareStrings(a.email, b.email) || compareStrings(a.surface, b.surface));
}

export function requireSsoFindings(
  ctx: CheckContext,
  locked: readonly SsoLockedOut[],
  phase: 'audit' | 'preflight',
): Finding[] {
  const why = {
    'not-in-idp': 'not in the IdP',
    'not-assigned': 'not assigned to the app',
    inactive: 'not active in the IdP',
  } as const;
  return locked.map((p) =>
    finding('REQUIRE_SSO_LOCKOUT', {
      subject: { kind: 'user', name: p.email },
      message: `${p.email} (${why[p.reason]}) ${phase === 'audit' ? 'has lost' : 'would lose'} access to ${p.accounts.length ? p.accounts.join('; ') : `their existing ${p.surface === 'claude' ? 'claude.ai' : 'Console'} account`} under "Require SSO for ${p.surface === 'claude' ? 'Claude' : 'Console'}" (the account is not deleted)`,
      fix:
        p.reason === 'inactive'
          ? `Nothing to do if they left; otherwise reactivate them in ${ctx.where('users')}`
          : `If ${p.email} should keep access, assign them to the app in ${ctx.where('assignments')}; otherwise tell them to export their conversations before SSO is enforced (${vendorIdentity(p.surface)} → Require SSO)`,
    }),
  );
}
