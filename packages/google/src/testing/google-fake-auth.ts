import { HttpResponse } from 'msw';
import { GOOGLE_DIRECTORY_SCOPES, GOOGLE_REPORTS_SCOPE } from '../google-settings';
import type { GoogleStore } from './google-fake-store';

/** gtoken posts the signed JWT here, whatever the Directory API's root URL. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Scopes authorized for domain-wide delegation in the fake's Admin console, or false for none. */
export type GoogleFakeDelegation = string[] | false;

/** Google's error JSON: `{"error":{"errors":[{"domain","reason","message"}],"code","message"}}`. */
export function googleError(code: number, reason: string, message: string, domain = 'global') {
  return { error: { errors: [{ domain, reason, message }], code, message } };
}

const AUTH = 'https://www.googleapis.com/auth/';
/** Which scopes let a token read each resource (a read-write scope covers its read-only one). */
const NEEDS: Record<'user' | 'group' | 'member' | 'reports', string[]> = {
  // activities.watch and the Reports channels.stop (Reports API reference, Authorization scopes).
  reports: ['admin.reports.audit.readonly'],
  user: ['admin.directory.user.readonly', 'admin.directory.user'],
  group: ['admin.directory.group.readonly', 'admin.directory.group'],
  member: [
    'admin.directory.group.member.readonly',
    'admin.directory.group.member',
    'admin.directory.group.readonly',
    'admin.directory.group',
  ],
};

interface Grant {
  subject: string | null;
  scopes: string[];
}

/**
 * The token endpoint and bearer checks. The JWT's signature is not verified (the fake holds no
 * public keys); its claims are: `sub` must be a user of the tenant (else `invalid_grant`), every
 * requested scope must be delegated (else `unauthorized_client`, Google's answer when
 * domain-wide delegation is missing). A token minted without `sub` is accepted by the token
 * endpoint but refused by the Directory API with 403 forbidden, as Google does.
 */
export class TokenIssuer {
  readonly staticToken = 'ya29.fake-google-access-token';
  readonly requests: { subject: string | null; scopes: string[]; granted: boolean }[] = [];
  private readonly grants = new Map<string, Grant>();
  private seq = 0;

  constructor(
    private readonly store: () => GoogleStore,
    private readonly delegation: GoogleFakeDelegation = [...GOOGLE_DIRECTORY_SCOPES],
  ) {
    // The ready access token also carries the Reports audit scope, so a watcher can open its activity channel.
    this.grants.set(this.staticToken, { subject: 'admin', scopes: [...GOOGLE_DIRECTORY_SCOPES, GOOGLE_REPORTS_SCOPE] });
  }

  token(body: string): Response {
    const form = new URLSearchParams(body);
    const claims = decodeJwt(form.get('assertion'));
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !claims) {
      return HttpResponse.json(
        { error: 'invalid_request', error_description: 'Invalid JWT assertion' },
        { status: 400 },
      );
    }
    const scopes = String(claims.scope ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const subject = typeof claims.sub === 'string' ? claims.sub : null;
    const delegated = this.delegation !== false && scopes.every((s) => (this.delegation as string[]).includes(s));
    const known =
      subject === null ||
      this.store().users.some((u) => String(u.primaryEmail).toLowerCase() === subject.toLowerCase());
    this.requests.push({ subject, scopes, granted: delegated && known });
    if (!delegated) {
      return HttpResponse.json(
        {
          error: 'unauthorized_client',
          error_description:
            'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        },
        { status: 401 },
      );
    }
    if (!known)
      return HttpResponse.json(
        { error: 'invalid_grant', error_description: 'Invalid email or User ID' },
        { status: 400 },
      );
    const token = `ya29.c.fake-${++this.seq}`;
    this.grants.set(token, { subject, scopes });
    return HttpResponse.json({ access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }

  /**
   * null when the bearer may read `scope`, else Google's 401 / 403 answer. Any bearer token the
   * token endpoint did not mint stands for a ready access token with the read-only scopes (so
   * tests may pass any placeholder); a request without one gets Google's 401.
   */
  check(authorization: string | null, scope: 'user' | 'group' | 'member' | 'reports'): Response | null {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const grant = bearer ? (this.grants.get(bearer) ?? this.grants.get(this.staticToken)) : undefined;
    if (!grant) {
      return HttpResponse.json(
        {
          error: {
            code: 401,
            message:
              'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
            errors: [
              {
                message: 'Invalid Credentials',
                domain: 'global',
                reason: 'authError',
                location: 'Authorization',
                locationType: 'header',
              },
            ],
            status: 'UNAUTHENTICATED',
          },
        },
        { status: 401 },
      );
    }
    if (grant.subject === null)
      return HttpResponse.json(googleError(403, 'forbidden', 'Not Authorized to access this resource/api'), {
        status: 403,
      });
    if (!NEEDS[scope].some((s) => grant.scopes.includes(AUTH + s))) {
      return HttpResponse.json(
        {
          error: {
            code: 403,
            message: 'Request had insufficient authentication scopes.',
            errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }],
            status: 'PERMISSION_DENIED',
          },
        },
        { status: 403 },
      );
    }
    return null;
  }
}

function decodeJwt(assertion: string | null): Record<string, unknown> | null {
  const part = assertion?.split('.')[1];
  if (!part) return null;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
