export { createGoogleFake, type GoogleFake, type GoogleFakeOptions } from './google-fake';
export { googleDeclarationFor } from './google-declaration-for';
export { googleMinimumRequests } from './google-minimum-requests';
export { CLAUDE_ORG_UNIT } from './google-fake-store';
export { GOOGLE_TOKEN_URL, googleError, type GoogleFakeDelegation } from './google-fake-auth';
export { parseFields, applyFields, type FieldTree } from './google-fields-mask';
export type { GoogleFakeEvents, GoogleFakeChannel } from './google-fake-watch';
export { serveReceiver } from './receiver-server';
