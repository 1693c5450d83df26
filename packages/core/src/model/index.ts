export * from './email';
export * from './roles';
export * from './canonical-field';
export * from './canonical-json';
export * from './members-fingerprint';
