import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig } from '@claude-idp/core/testing';
import { runBin, tmp } from './run-bin';

/**
 * A canary passed as every credential never appears in stdout, stderr or written files — even
 * when the server echoes the request (headers and body, where a client secret travels) back in
 * its error answers, which then land in error messages.
 */
const CANARY = 'CANARYx7Q9zSECRETxVALUEx3K1m';
let server: Server;
let url: string;
const echo =
  (status: number) => (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-echo-auth': String(req.headers.authorization ?? req.headers['x-api-key'] ?? ''),
      });
      res.end(
        JSON.stringify({
          error: 'denied',
          errorSummary: `echo ${req.method} ${req.url}`,
          message: `you sent ${JSON.stringify(req.headers)} ${body}`,
          headers: req.headers,
          body,
        }),
      );
    });
  };

beforeAll(async () => {
  server = createServer(echo(401));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function cases(dir: string): [string, string[], Record<string, string>, number][] {
  const keyFile = join(dir, 'sa.json');
  writeFileSync(
    keyFile,
    JSON.stringify({
      type: 'service_account',
      client_email: 'sa@p.iam.gserviceaccount.com',
      private_key: `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n`,
      token_uri: `${url}/token`,
    }),
  );
  const pem = join(dir, 'okta.pem');
  writeFileSync(pem, `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n`);
  return [
    [
      'okta api token',
      ['snapshot', '--idp', 'okta', '--app', 'Claude'],
      { OKTA_ORG_URL: url, OKTA_API_TOKEN: CANARY },
      3,
    ],
    [
      'okta private key (not a key: named at once)',
      ['snapshot', '--idp', 'okta', '--app', 'Claude'],
      {
        OKTA_ORG_URL: url,
        OKTA_CLIENT_ID: '0oaclient',
        OKTA_PRIVATE_KEY: `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----`,
      },
      2,
    ],
    [
      'okta private key file',
      ['snapshot', '--idp', 'okta', '--app', 'Claude'],
      { OKTA_ORG_URL: url, OKTA_CLIENT_ID: '0oaclient', OKTA_PRIVATE_KEY_FILE: pem },
      2,
    ],
    [
      'entra access token',
      ['snapshot', '--idp', 'entra', '--app', 'Claude'],
      { ENTRA_GRAPH_URL: url, ENTRA_ACCESS_TOKEN: CANARY, ENTRA_TENANT_ID: 't', ENTRA_CLIENT_ID: 'c' },
      3,
    ],
    // Microsoft sign-in talks to https authorities only: a loopback http one is refused as a setting
    // (exit 2) before any request. A refused secret over https is in the entra package's tests.
    [
      'entra client secret',
      ['snapshot', '--idp', 'entra', '--app', 'Claude'],
      {
        ENTRA_GRAPH_URL: url,
        ENTRA_AUTHORITY_HOST: url,
        ENTRA_TENANT_ID: 'tenant',
        ENTRA_CLIENT_ID: 'client',
        ENTRA_CLIENT_SECRET: CANARY,
      },
      2,
    ],
    [
      'google access token',
      ['snapshot', '--idp', 'google', '--app', 'Claude'],
      { GOOGLE_API_URL: url, GOOGLE_ACCESS_TOKEN: CANARY },
      3,
    ],
    [
      'google service account key (not a key: named at once)',
      ['snapshot', '--idp', 'google', '--app', 'Claude'],
      { GOOGLE_API_URL: url, GOOGLE_APPLICATION_CREDENTIALS: keyFile, GOOGLE_ADMIN_SUBJECT: 'admin@acme.example' },
      2,
    ],
    [
      'onelogin client secret',
      ['snapshot', '--idp', 'onelogin', '--app', 'Claude'],
      { ONELOGIN_BASE_URL: url, ONELOGIN_CLIENT_ID: 'cid', ONELOGIN_CLIENT_SECRET: CANARY },
      3,
    ],
    [
      'onelogin access token',
      ['snapshot', '--idp', 'onelogin', '--app', 'Claude'],
      { ONELOGIN_BASE_URL: url, ONELOGIN_ACCESS_TOKEN: CANARY },
      3,
    ],
    [
      'anthropic admin key (plan reads members)',
      ['plan', '--snapshot', 'nope.json', '--out', 'out.json'],
      { ANTHROPIC_BASE_URL: url, ANTHROPIC_ADMIN_KEY: `sk-ant-admin01-${CANARY}` },
      2,
    ],
    [
      'anthropic admin key (apply)',
      ['apply', 'plan.json', '--target', 'anthropic-admin', '--yes'],
      { ANTHROPIC_BASE_URL: url, ANTHROPIC_ADMIN_KEY: `sk-ant-admin01-${CANARY}`, ANTHROPIC_ORG_ID: 'org-1' },
      3,
    ],
  ];
}

describe('a canary secret in every credential variable never shows', () => {
  it('in stdout, stderr or written files, for every IdP and the Admin API', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'claude-idp.config.yaml'), JSON.stringify(demoConfig('okta')));
    writeFileSync(
      join(dir, 'plan.json'),
      JSON.stringify({
        schemaVersion: 1,
        fingerprint: 'sha256:00',
        complete: true,
        orgs: [
          {
            orgId: 'org-1',
            mode: 'manual',
            mappings: false,
            actions: [
              {
                email: 'a@acme.example',
                action: 'provision',
                to: 'user',
                when: 'manual',
                rule: 'R-V3',
                reason: 'assigned',
              },
            ],
            totals: { provision: 1 },
          },
        ],
        guards: [],
        inputs: { snapshot: 'a', config: 'b', members: 'c' },
      }),
    );
    for (const [name, args, env, code] of cases(dir)) {
      const started = Date.now();
      const r = await runBin(args[0] === 'snapshot' ? [...args, '--out', join(dir, 'out.json')] : args, {
        env,
        cwd: dir,
        timeoutMs: 60_000,
      });
      if (process.env.CANARY_DEBUG)
        console.log(`${name}: exit ${r.code} in ${Date.now() - started} ms: ${r.stderr.trim().split('\n')[0]}`);
      // Every case fails (the server refuses everything): 3 for a refused credential, 2 for a
      // credential that is not one (or a missing setting) — and how it fails must not leak.
      expect(r.code, `${name}: ${r.stderr}`).toBe(code);
      expect(r.stderr.length, name).toBeGreaterThan(0);
      expect(r.stdout + r.stderr, name).not.toContain(CANARY);
      expect(r.stderr, name).not.toMatch(/\n\s+at /);
    }
  }, 240_000);
});
