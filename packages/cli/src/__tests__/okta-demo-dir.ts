import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  demoConfig,
  demoMembers,
  demoTenant,
  startLoopbackServer,
  type LoopbackServer,
} from '@claude-idp/core/testing';
import { createOktaFake } from '@claude-idp/okta/testing';
import { tmp } from './run-bin';

/** What the binary tests run `claude-idp` against: the demo org in Okta's fake on loopback, and a folder with its inputs. */
export interface OktaDemoDir {
  server: LoopbackServer;
  fake: ReturnType<typeof createOktaFake>;
  /** A temporary folder with `claude-idp.config.yaml` and `members.json` of the demo org. */
  dir: string;
  /** The Okta connection (`OKTA_ORG_URL`, `OKTA_API_TOKEN` = `token`, `OKTA_APP_ID`). */
  env: Record<string, string>;
}

export async function startOktaDemoDir(token: string): Promise<OktaDemoDir> {
  const server = await startLoopbackServer();
  const fake = createOktaFake(demoTenant(), { baseUrl: server.url });
  server.use(fake.handlers);
  const dir = tmp();
  writeFileSync(join(dir, 'claude-idp.config.yaml'), JSON.stringify(demoConfig('okta'), null, 2));
  writeFileSync(join(dir, 'members.json'), JSON.stringify(demoMembers(), null, 2));
  return { server, fake, dir, env: { OKTA_ORG_URL: server.url, OKTA_API_TOKEN: token, OKTA_APP_ID: fake.appId } };
}
