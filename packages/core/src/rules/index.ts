// Rules (SPEC §3) as pure functions: each file names the rules it models.
export * from './access';
export { createEngineCache, type EngineCache } from './engine-cache';
export { createEmailNormalizer } from './email-normalizer';
export * from './group-names';
export * from './provisioning';
export * from './parent';
export * from './merge';
