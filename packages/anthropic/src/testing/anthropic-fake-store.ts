import { normalizeEmail, type Member } from '@claude-idp/core';
import {
  ASSIGNABLE_ROLES,
  FAKE_MESSAGES,
  INVITE_TTL_DAYS,
  PROTECTED_ROLES,
  type ProvisioningModeValue,
} from '../anthropic-api-facts';
import type { AnthropicInvite, AnthropicUser } from '../anthropic-schemas';
import type { AnthropicOrgKind } from '../anthropic-settings';

/** The enforced settings the Compliance API reports (rows are left out when undefined). */
export interface FakeSettings {
  ssoEnabled?: boolean;
  ssoClaudeAiEnforced?: boolean;
  ssoConsoleEnforced?: boolean;
  directorySyncEnabled?: boolean;
  allowedInviteDomains?: string[];
}

export interface FakeOrgOptions {
  orgId?: string;
  orgName?: string;
  orgKind?: AnthropicOrgKind;
  /** Roles the API accepts for update / invite. Default: the documented ones for `orgKind`. */
  orgRoles?: readonly string[];
  /** Roles whose holders cannot be re-roled or removed. Default: `PROTECTED_ROLES[orgKind]` (UNVERIFIED beyond admin assignment). */
  protectedRoles?: readonly string[];
  /** Seed from SPEC §4 members: `invited` ones become pending invites, the rest users. */
  members?: readonly Member[];
  users?: ReadonlyArray<Partial<AnthropicUser> & { email: string; role: string }>;
  invites?: ReadonlyArray<Partial<AnthropicInvite> & { email: string; role: string }>;
  /** Seats bought: an invite fails with 400 when users + pending invites already fill them. */
  seats?: number;
  now?: () => Date;
  /**
   * The enforced `sso_provisioning_mode` (default `login_only`). The API refuses, with a bare 400
   * and no `error_code`: invites under JIT or SCIM, role updates under *_advanced, removals under SCIM.
   */
  mode?: ProvisioningModeValue;
  /** Enforced settings beside the mode (change them in `fake.update`). */
  settings?: FakeSettings;
}

/** A refusal in the API's own error shape (status + `error.type` + message). */
export class FakeRefusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 429 | 501 | 503,
    readonly errorType: string,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

/** The documented refusal texts when the IdP provisions (user-management guide). */
export const MODE_REFUSALS = {
  invite:
    'Organizations whose identity provider provisions users automatically (JIT or SCIM) cannot create invites through the API.',
  role: "Your organization's identity provider manages roles (advanced SSO or advanced SCIM provisioning); role updates are not allowed through the API.",
  remove: "Your organization's identity provider manages membership (SCIM); removals are not allowed through the API.",
} as const;

const DAY = 86_400_000;
const key = (email: string) => normalizeEmail(email) ?? email.trim().toLowerCase();

/** The in-memory org behind the fake: users and invites, with the API's rules on roles and invites. */
export class FakeOrgStore {
  readonly orgId: string;
  readonly orgName: string;
  readonly kind: AnthropicOrgKind;
  readonly roles: readonly string[];
  readonly protectedRoles: readonly string[];
  seats: number | undefined;
  mode: ProvisioningModeValue;
  settings: FakeSettings;
  users: AnthropicUser[] = [];
  invites: AnthropicInvite[] = [];
  private seq = 0;

  constructor(private readonly options: FakeOrgOptions = {}) {
    this.orgId = options.orgId ?? '12345678-1234-5678-1234-567812345678';
    this.orgName = options.orgName ?? 'Organization Name';
    this.kind = options.orgKind ?? 'console';
    this.roles = options.orgRoles ?? ASSIGNABLE_ROLES[this.kind];
    this.protectedRoles = options.protectedRoles ?? PROTECTED_ROLES[this.kind];
    this.seats = options.seats;
    this.mode = options.mode ?? 'login_only';
    this.settings = structuredClone(options.settings ?? {});
    for (const m of options.members ?? []) {
      if (m.status === 'invited') this.invites.push(this.newInvite(m.email, m.role, m.id));
      else this.users.push(this.newUser(m.email, m.role, m.id));
    }
    for (const u of options.users ?? [])
      this.users.push({ ...this.newUser(u.email, u.role, u.id), ...u, type: 'user' });
    for (const i of options.invites ?? [])
      this.invites.push({ ...this.newInvite(i.email, i.role, i.id), ...i, type: 'invite' });
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Invites as the API lists them: a pending invite past `expires_at` shows as `expired`. */
  listInvites(): AnthropicInvite[] {
    const t = this.now().getTime();
    return this.invites.map((i) =>
      i.status === 'pending' && Date.parse(i.expires_at) <= t ? { ...i, status: 'expired' } : i,
    );
  }

  /** Users and pending invites as SPEC §4 members (what `readMembers` should return). */
  members(): Member[] {
    const out: Member[] = this.users.map((u) => ({
      email: u.email,
      role: u.role,
      orgId: this.orgId,
      status: 'active',
      id: u.id,
    }));
    for (const i of this.listInvites())
      if (i.status === 'pending' && !this.userByEmail(i.email))
        out.push({ email: i.email, role: i.role, orgId: this.orgId, status: 'invited', id: i.id });
    return out.sort((a, b) => (key(a.email) < key(b.email) ? -1 : 1));
  }

  userByEmail(email: string): AnthropicUser | undefined {
    return this.users.find((u) => key(u.email) === key(email));
  }

  updateRole(id: string, role: unknown): AnthropicUser {
    const user = this.users.find((u) => u.id === id);
    if (!user) throw new FakeRefusal(404, 'not_found_error', 'The requested resource could not be found.');
    this.checkAssignable(role);
    if (this.protectedRoles.includes(user.role))
      throw new FakeRefusal(400, 'invalid_request_error', FAKE_MESSAGES.adminProtected);
    if (this.mode.endsWith('_advanced')) throw new FakeRefusal(400, 'invalid_request_error', MODE_REFUSALS.role);
    user.role = role as string;
    return user;
  }

  removeUser(id: string): void {
    const user = this.users.find((u) => u.id === id);
    if (!user) throw new FakeRefusal(404, 'not_found_error', 'The requested resource could not be found.');
    if (this.protectedRoles.includes(user.role))
      throw new FakeRefusal(400, 'invalid_request_error', FAKE_MESSAGES.adminProtected);
    if (this.mode.startsWith('scim_')) throw new FakeRefusal(400, 'invalid_request_error', MODE_REFUSALS.remove);
    this.users = this.users.filter((u) => u !== user);
  }

  createInvite(email: unknown, role: unknown): AnthropicInvite {
    if (typeof email !== 'string' || !normalizeEmail(email))
      throw new FakeRefusal(400, 'invalid_request_error', 'email: a valid email address is required');
    this.checkAssignable(role);
    if (this.mode !== 'login_only') throw new FakeRefusal(400, 'invalid_request_error', MODE_REFUSALS.invite);
    if (this.userByEmail(email))
      throw new FakeRefusal(400, 'invalid_request_error', FAKE_MESSAGES.alreadyMember, 'already_member');
    const pending = this.listInvites().filter((i) => i.status === 'pending');
    if (pending.some((i) => key(i.email) === key(email)))
      throw new FakeRefusal(400, 'invalid_request_error', FAKE_MESSAGES.duplicateInvite, 'invite_already_exists');
    if (this.seats !== undefined && this.users.length + pending.length >= this.seats)
      throw new FakeRefusal(400, 'invalid_request_error', FAKE_MESSAGES.noSeat);
    const invite = this.newInvite(email, role as string);
    this.invites.push(invite);
    return invite;
  }

  deleteInvite(id: string): void {
    const invite = this.listInvites().find((i) => i.id === id);
    if (!invite) throw new FakeRefusal(404, 'not_found_error', 'The requested resource could not be found.');
    // The reference says "Delete a pending invite"; what it answers for others is UNVERIFIED.
    if (invite.status !== 'pending')
      throw new FakeRefusal(
        400,
        'invalid_request_error',
        `Only pending invites can be deleted (this one is ${invite.status})`,
      );
    this.invites = this.invites.map((i) => (i.id === id ? { ...i, status: 'deleted' } : i));
  }

  /** The invitee accepts: the invite becomes `accepted` and a user with its role joins. */
  acceptInvite(email: string): AnthropicUser {
    const invite = this.listInvites().find((i) => i.status === 'pending' && key(i.email) === key(email));
    if (!invite) throw new Error(`no pending invite for ${email}`);
    this.invites = this.invites.map((i) =>
      i.id === invite.id ? { ...i, status: 'accepted', accepted_at: this.now().toISOString() } : i,
    );
    const user = this.newUser(invite.email, invite.role);
    this.users.push(user);
    return user;
  }

  private checkAssignable(role: unknown): void {
    if (typeof role !== 'string') throw new FakeRefusal(400, 'invalid_request_error', 'role: Field required');
    if (role === 'admin') throw new FakeRefusal(400, 'invalid_request_error', FAKE_MESSAGES.adminAssign);
    if (!this.roles.includes(role))
      throw new FakeRefusal(
        400,
        'invalid_request_error',
        `role: Input should be ${this.roles.map((r) => `'${r}'`).join(', ')}`,
      );
  }

  private id(prefix: string): string {
    this.seq++;
    return `${prefix}_01${this.seq.toString(36).toUpperCase().padStart(22, '0')}`;
  }

  private newUser(email: string, role: string, id?: string): AnthropicUser {
    return {
      type: 'user',
      id: id ?? this.id('user'),
      added_at: this.now().toISOString(),
      email,
      name: email.split('@')[0] ?? email,
      role,
    };
  }

  private newInvite(email: string, role: string, id?: string): AnthropicInvite {
    const at = this.now();
    return {
      type: 'invite',
      id: id ?? this.id('invite'),
      email,
      role,
      status: 'pending',
      invited_at: at.toISOString(),
      expires_at: new Date(at.getTime() + INVITE_TTL_DAYS * DAY).toISOString(),
      accepted_at: null,
      rbac_group_ids: [],
    };
  }
}
