import { ConfigurationError } from '../errors/configuration-error';
import { checkBaseUrl } from './url';

/**
 * The vendor API's base URL, by one setting name in every adapter: `baseUrl`, then the adapter's
 * older name for it (`orgUrl`, `graphUrl`, `apiUrl`: deprecated aliases, still read), then the
 * environment variable, then the vendor default. Setting both `baseUrl` and the alias to
 * different values is a ConfigurationError rather than a silent choice. Checked by
 * `checkBaseUrl` (https, or http on loopback), with the setting's name in any error.
 */
export function resolveBaseUrl(args: {
  baseUrl: string | undefined;
  alias?: { name: string; value: string | undefined };
  env: Record<string, string | undefined>;
  envVar: string;
  fallback?: string;
}): { url: string; setting: string } {
  const clean = (v: string | undefined) => v?.trim() || undefined;
  const own = clean(args.baseUrl);
  const alias = clean(args.alias?.value);
  if (own && alias && own.replace(/\/+$/, '') !== alias.replace(/\/+$/, '')) {
    throw new ConfigurationError({
      setting: 'baseUrl',
      message: `baseUrl and ${args.alias!.name} (its deprecated alias) are both set, to different URLs; set baseUrl only`,
    });
  }
  const setting = own
    ? 'baseUrl'
    : alias
      ? args.alias!.name
      : clean(args.env[args.envVar])
        ? args.envVar
        : args.fallback
          ? 'baseUrl'
          : args.envVar;
  const value = own ?? alias ?? clean(args.env[args.envVar]) ?? args.fallback;
  return { url: checkBaseUrl(value, setting), setting };
}
