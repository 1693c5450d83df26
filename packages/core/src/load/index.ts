export { loadOrgConfig, parseOrgConfig } from './load-config';
export { loadMembers, parseMembers } from './load-members';
export { parseSnapshot, loadSnapshot } from './parse-snapshot';
export { formatPath, knownKeysAt, unknownKeyMessage, zodIssues } from './issues';
export { didYouMean, editDistance } from './did-you-mean';
export { parseDocumentText, parseDocumentWith } from './parse-document';
export { readSource } from './read-source';
