export * from './common';
export * from './snapshot';
export * from './config';
export * from './members';
export * from './finding';
export * from './report';
export * from './plan';
export { jsonSchemas, type SchemaName } from './json-schema';
export * from './claude-side';
