import { randomBytes } from 'node:crypto';
import { HttpResponse } from 'msw';

export interface IssuedToken {
  scopes: string[];
  expiresAt: number;
  clientId: string;
}

const oauthError = (status: number, error: string, error_description: string) =>
  HttpResponse.json({ error, error_description }, { status });

function claims(jwt: string): Record<string, unknown> | null {
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * The org authorization server's `POST /oauth2/v1/token` for an OAuth service app
 * (client_credentials + private_key_jwt): checks the form and the assertion's claims (iss = sub =
 * client id, aud = this endpoint, not expired; the signature is not verified: the fake holds no
 * public key), refuses scopes the app was not granted (`invalid_scope`), and issues a Bearer token
 * carrying the requested scopes, in the shape of Okta's `TokenResponseExample`.
 */
export async function tokenEndpoint(
  request: Request,
  base: string,
  granted: string[],
  tokens: Map<string, IssuedToken>,
): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  if (form.get('grant_type') !== 'client_credentials')
    return oauthError(400, 'unsupported_grant_type', "The grant type in the request isn't supported.");
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    return oauthError(400, 'invalid_request', 'The `client_assertion_type` is invalid.');
  const c = claims(form.get('client_assertion') ?? '');
  const now = Math.floor(Date.now() / 1000);
  if (
    !c ||
    typeof c.iss !== 'string' ||
    c.iss !== c.sub ||
    c.aud !== `${base}/oauth2/v1/token` ||
    typeof c.exp !== 'number' ||
    c.exp < now
  ) {
    return oauthError(401, 'invalid_client', 'The client_assertion signature is invalid.');
  }
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (!scopes.length) return oauthError(400, 'invalid_scope', 'No scopes were requested.');
  const refused = scopes.filter((s) => !granted.includes(s));
  if (refused.length)
    return oauthError(400, 'invalid_scope', `The following scopes are not granted to the client: ${refused.join(' ')}`);
  const access = randomBytes(24).toString('base64url');
  tokens.set(access, { scopes, expiresAt: Date.now() + 3_600_000, clientId: c.iss });
  return HttpResponse.json({ token_type: 'Bearer', expires_in: 3600, access_token: access, scope: scopes.join(' ') });
}
