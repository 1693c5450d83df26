/** The claude-idp version, stamped into reports. Kept in step with package.json by the release. */
export const VERSION = '0.1.0';
