import {
  InputError,
  readAsWhole,
  type DirectorySnapshot,
  type IdpAdapterV1,
  type ReadSnapshotOptions,
  type RefreshResult,
  type RefreshSnapshotOptions,
} from '@claude-idp/core';
import { createDirectory, type Directory } from './google-client';
import { resolveDeclaration, type ParsedGoogleApp, type ParsedGoogleDeclaration } from './google-declaration';
import { GoogleRateLimiter } from './google-rate-limiter';
import { readDirectory, type DeclaredApp } from './google-read';
import { GoogleGroupIndex, refreshDirectory } from './google-refresh';
import { resolveGoogleSettings, type GoogleAdapterSettings } from './google-settings';
import { buildGoogleSnapshot } from './google-snapshot';

/**
 * The Google Workspace adapter: directory users, groups and members from the Admin SDK Directory
 * API (Google's generated `@googleapis/admin` client), plus the app settings Google's API cannot
 * show, taken from the admin's declaration. Nothing is read or created until `readSnapshot`.
 */
export function createGoogleAdapter(settings: GoogleAdapterSettings = {}): IdpAdapterV1 {
  let limiter: GoogleRateLimiter | undefined;
  let cached: { key: string; directory: Directory } | undefined;
  // What the last reads learnt of group addresses and roots, for targeted re-reads.
  const index = new GoogleGroupIndex();
  const prepare = (options: ReadSnapshotOptions) => {
    const resolved = resolveGoogleSettings(settings);
    const declaration = resolveDeclaration(resolved.declaration);
    const declared = pickApp(declaration, options.app);
    const app = declared?.app ?? null;
    // One client per credential: JWT access tokens are cached and refreshed by google-auth-library.
    const key = JSON.stringify([
      resolved.apiUrl,
      resolved.credentials.kind === 'token'
        ? resolved.credentials.accessToken
        : [resolved.credentials.clientEmail, resolved.credentials.subject],
    ]);
    if (cached?.key !== key) cached = { key, directory: createDirectory(resolved, settings) };
    limiter ??= new GoogleRateLimiter(settings.queriesPerMinute ?? 2_400, settings.concurrency ?? 8);
    const sourcePaths = app?.sso ? [app.sso.nameId, ...app.sso.attributes.map((a) => a.source)] : [];
    const directory = cached.directory;
    const shared = limiter;
    const context = (abortSignal: AbortSignal) => ({
      directory,
      limiter: shared,
      resolved,
      settings,
      abortSignal,
      onProgress: options.onProgress,
    });
    return { resolved, declared, app, sourcePaths, context };
  };
  const readSnapshot = async (options: ReadSnapshotOptions = {}): Promise<DirectorySnapshot> => {
    const { resolved, declared, app, sourcePaths, context } = prepare(options);
    // The first failing read stops its siblings: a read is complete or an error.
    return readAsWhole({ vendor: 'google', abortSignal: options.abortSignal }, async (abortSignal) => {
      const read = await readDirectory(context(abortSignal), declared, sourcePaths, settings.concurrency ?? 8);
      index.recordFull(read);
      return buildGoogleSnapshot({
        read,
        app,
        appRef: options.app,
        customer: resolved.customer,
        sourcePaths,
        now: options.now?.() ?? new Date(),
      });
    });
  };
  return {
    specificationVersion: 'v1',
    idp: 'google',
    readSnapshot,
    /**
     * Re-reads one user, one group (by id, or by address as Google's admin activities name it)
     * or the app, and patches `previous`; a full read when a targeted one cannot match it
     * (see `refreshDirectory`), saying why in `detail`.
     */
    async refreshSnapshot(previous: DirectorySnapshot, options: RefreshSnapshotOptions): Promise<RefreshResult> {
      const { declared, sourcePaths, context } = prepare(options);
      const outcome = await readAsWhole({ vendor: 'google', abortSignal: options.abortSignal }, (abortSignal) =>
        refreshDirectory(context(abortSignal), {
          previous,
          targets: options.targets,
          declared,
          appRef: options.app,
          sourcePaths,
          index,
          concurrency: settings.concurrency ?? 8,
          now: options.now?.() ?? new Date(),
        }),
      );
      if ('snapshot' in outcome) return { snapshot: outcome.snapshot, read: 'targeted', detail: outcome.detail };
      return { snapshot: await readSnapshot(options), read: 'full', detail: `full read: ${outcome.full}` };
    },
  };
}

/** The declared app by id or name; without `app`, the only declared app. No declaration: null (reported as unavailable). */
function pickApp(declaration: ParsedGoogleDeclaration | null, ref: string | undefined): DeclaredApp | null {
  if (!declaration) return null;
  const apps = declaration.apps;
  const at = (app: ParsedGoogleApp) => ({
    app,
    source: declaration.source,
    path: declaration.pathOf(apps.indexOf(app)),
  });
  if (ref === undefined) {
    if (apps.length === 1) return at(apps[0]!);
    throw new InputError({
      source: '--app',
      issues: [
        {
          path: 'app',
          expected: `one of the declared apps (${apps.map((a) => a.name).join(', ')})`,
          received: 'nothing',
        },
      ],
    });
  }
  const found =
    apps.find((a) => a.id === ref) ??
    apps.find((a) => a.name === ref) ??
    apps.find((a) => a.name.toLowerCase() === ref.toLowerCase());
  if (found) return at(found);
  throw new InputError({
    source: '--app',
    issues: [
      {
        path: 'app',
        expected: `an app declared in ${declaration.source} (${apps.map((a) => a.id ?? a.name).join(', ')})`,
        received: JSON.stringify(ref),
      },
    ],
    message: `google: no app ${JSON.stringify(ref)} in the declaration ${declaration.source}; Google's API cannot list SAML apps, so the app must be declared`,
  });
}
