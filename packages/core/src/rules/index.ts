// Rules (SPEC §3) as pure functions.
export * from './access';
export { createEmailNormalizer } from './email-normalizer';
