export { loadOrgConfig, parseOrgConfig } from './load-config';
export { loadMembers, parseMembers } from './load-members';
export { parseSnapshot, loadSnapshot } from './parse-snapshot';
export { formatPath, zodIssues } from './issues';
export { parseDocumentText, parseDocumentWith } from './parse-document';
export { readSource } from './read-source';
