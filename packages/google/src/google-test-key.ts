import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * For tests: writes a service account JSON key (a fresh RSA key, Google's key file fields) to a
 * temporary file and returns its path, for `GOOGLE_APPLICATION_CREDENTIALS`.
 */
export function writeServiceAccountKey(extra: Record<string, string> = {}): string {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'google-sa-')), 'sa.json');
  writeFileSync(
    keyFile,
    JSON.stringify({
      type: 'service_account',
      private_key: privateKey,
      client_email: 'claude-idp@p.iam.gserviceaccount.com',
      client_id: '104857600000000000001',
      ...extra,
    }),
  );
  return keyFile;
}
