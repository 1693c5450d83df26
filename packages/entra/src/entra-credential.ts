import type { TokenCredential } from '@azure/identity';
import { ConfigurationError, PermissionError, redactText, registerSecret } from '@claude-idp/core';
import type { EntraAuth } from './entra-settings';

export type TokenSource = (abortSignal?: AbortSignal) => Promise<string>;

/**
 * A bearer-token source for Graph. `@azure/identity` is imported only when a credential is
 * needed, so a ready token (tests, CI, `az account get-access-token`) never loads MSAL. The
 * scope is the Graph root's `/.default`, which for national clouds is their own host
 * (`https://graph.microsoft.us/.default`); `authorityHost` points the token request at that cloud.
 */
export function createTokenSource(auth: EntraAuth, graphUrl: string): TokenSource {
  if (auth.kind === 'token') return async () => auth.token;
  const scope = `${new URL(graphUrl).origin}/.default`;
  let credential: Promise<TokenCredential> | undefined;
  return async (abortSignal) => {
    credential ??= auth.kind === 'credential' ? Promise.resolve(auth.credential) : buildCredential(auth);
    let token: { token: string } | null;
    try {
      // The identity library caches tokens and refreshes them before expiry; no cache of our own.
      token = await (await credential).getToken(scope, { abortSignal });
    } catch (error) {
      throw credentialError(error);
    }
    if (!token?.token)
      throw new PermissionError({
        vendor: 'entra',
        missing: [],
        message: 'entra: the credential returned no access token for Microsoft Graph',
      });
    registerSecret(token.token);
    return token.token;
  };
}

async function buildCredential(auth: Exclude<EntraAuth, { kind: 'token' | 'credential' }>): Promise<TokenCredential> {
  const identity = await import('@azure/identity');
  const authority = 'authorityHost' in auth && auth.authorityHost ? { authorityHost: auth.authorityHost } : {};
  switch (auth.kind) {
    case 'secret':
      return new identity.ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret, authority);
    case 'certificate':
      return new identity.ClientCertificateCredential(
        auth.tenantId,
        auth.clientId,
        { certificatePath: auth.certificatePath },
        authority,
      );
    case 'workload':
      return new identity.WorkloadIdentityCredential({
        tenantId: auth.tenantId,
        clientId: auth.clientId,
        tokenFilePath: auth.tokenFilePath,
        ...authority,
      });
    case 'managed':
      return auth.clientId
        ? new identity.ManagedIdentityCredential({ clientId: auth.clientId })
        : new identity.ManagedIdentityCredential();
  }
}

/** Token failures: an unusable environment is a configuration problem; a refused credential is a 401. */
function credentialError(error: unknown): Error {
  const e = error as { name?: string; message?: string; statusCode?: number };
  const message = redactText(`entra: could not get a Microsoft Graph token: ${e?.message ?? String(error)}`);
  if (e?.name === 'CredentialUnavailableError')
    return new ConfigurationError({ setting: 'ENTRA_CLIENT_SECRET', message, cause: error });
  // A certificate file that is missing or not PEM is a setting to fix, not a refused credential.
  if (/ENOENT|no such file|PEM|certificate/i.test(e?.message ?? '') && !/AADSTS/.test(e?.message ?? ''))
    return new ConfigurationError({ setting: 'ENTRA_CLIENT_CERTIFICATE_FILE', message, cause: error });
  if (e?.name === 'AbortError') return error as Error;
  return new PermissionError({ vendor: 'entra', status: e?.statusCode ?? 401, missing: [], message, cause: error });
}
