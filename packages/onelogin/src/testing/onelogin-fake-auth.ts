import { createHash } from 'node:crypto';
import { HttpResponse } from 'msw';
import { v1Error, v2Error } from './onelogin-fake-paging';

/** The API credential scopes (api-docs/1/getting-started/working-with-api-credentials). */
export type OneLoginScope = 'Authentication Only' | 'Read Users' | 'Manage Users' | 'Read All' | 'Manage All';

const TOKEN_LIFETIME_S = 36_000;

/** A 56-hex-digit value like OneLogin's sample tokens, different for every input. */
const hex56 = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 56);

/**
 * The fake's token service: POST /auth/oauth2/v2/token with the credential pair in any of the
 * three documented forms (the `client_id:…, client_secret:…` header, HTTP Basic, or a form body),
 * answering the same token until it expires (generate-tokens-2: "this request will return the same
 * token set until the token expires or is revoked"). `expire()` plays the clock forward.
 */
export class FakeTokens {
  private current: string | undefined;
  private readonly valid = new Set<string>();
  private seq = 0;
  issued = 0;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** A currently valid token (issued if none), for tests that use ONELOGIN_ACCESS_TOKEN. */
  token(): string {
    if (!this.current) {
      this.seq++;
      this.current = hex56(`token:${this.clientId}:${this.seq}`);
      this.valid.add(this.current);
    }
    return this.current;
  }

  expire(): void {
    this.valid.clear();
    this.current = undefined;
  }

  isValid(token: string): boolean {
    return this.valid.has(token);
  }

  async answer(request: Request): Promise<Response> {
    const auth = request.headers.get('authorization') ?? '';
    const type = request.headers.get('content-type') ?? '';
    const raw = await request.text();
    let grant: string | null = null;
    let id: string | undefined;
    let secret: string | undefined;
    if (type.includes('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(raw);
      grant = form.get('grant_type');
      id = form.get('client_id') ?? undefined;
      secret = form.get('client_secret') ?? undefined;
    } else {
      try {
        grant = (JSON.parse(raw) as { grant_type?: string }).grant_type ?? null;
      } catch {
        grant = null;
      }
    }
    const header = /^client_id:\s*([^,\s]+)\s*,\s*client_secret:\s*(\S+)\s*$/i.exec(auth);
    const basic = /^basic\s+(\S+)$/i.exec(auth);
    if (header) [, id, secret] = header;
    else if (basic) [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    if (grant !== 'client_credentials') return v2Error(400, 'BadRequestError', 'grant_type is incorrect/absent');
    if (id !== this.clientId || secret !== this.clientSecret)
      return v2Error(401, 'UnauthorizedError', 'Authentication Failure');
    this.issued++;
    const token = this.token();
    return HttpResponse.json({
      access_token: token,
      created_at: '2024-01-15T09:30:00.000Z',
      expires_in: TOKEN_LIFETIME_S,
      refresh_token: hex56(`refresh:${token}`),
      token_type: 'bearer',
      account_id: 555555,
    });
  }

  /**
   * Checks a resource call: `bearer <token>` (v2 docs) or `bearer:<token>` (v1 docs) with a live
   * token, and a scope that covers the endpoint. Answers the refusal, or null to go on.
   */
  refuse(request: Request, scope: OneLoginScope): Response | null {
    const v1 = new URL(request.url).pathname.startsWith('/api/1/');
    const m = /^bearer[\s:]\s*(\S+)$/i.exec(request.headers.get('authorization') ?? '');
    if (!m || !this.isValid(m[1]!))
      return v1
        ? v1Error(401, 'Unauthorized', 'Authentication Failure')
        : v2Error(401, 'UnauthorizedError', 'Unauthorized');
    const appsEndpoint = new URL(request.url).pathname.startsWith('/api/2/apps');
    const allowed =
      scope === 'Read All' ||
      scope === 'Manage All' ||
      (!appsEndpoint && (scope === 'Read Users' || scope === 'Manage Users'));
    if (allowed) return null;
    return v1
      ? v1Error(401, 'Unauthorized', 'Insufficient Permission')
      : v2Error(401, 'UnauthorizedError', 'Insufficient Permission');
  }
}
