export * from './events';
export * from './patch';
export * from './change-queue';
