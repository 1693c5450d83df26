import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@claude-idp/core';
import { createGoogleAdapter } from './index';

// A service account key whose private_key is not a key is a set-up error, named at once (exit 2 in
// the CLI), never retried as if the network had failed — and the key itself is never echoed.
describe('service account key checks', () => {
  it('a broken private_key is a ConfigurationError naming the variable, without the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'google-key-'));
    const file = join(dir, 'sa.json');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'service_account',
        client_email: 'sa@p.iam.gserviceaccount.com',
        private_key: '-----BEGIN PRIVATE KEY-----\nNOTAKEYxSECRETx42\n-----END PRIVATE KEY-----\n',
      }),
    );
    const started = Date.now();
    const error = await createGoogleAdapter({
      env: { GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_ADMIN_SUBJECT: 'admin@acme.example' },
    })
      .readSnapshot({ app: 'Claude' })
      .catch((e: unknown) => e);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).setting).toBe('GOOGLE_APPLICATION_CREDENTIALS');
    expect((error as Error).message).not.toContain('NOTAKEYxSECRETx42');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
