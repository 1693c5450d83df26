export function entraMinimumRequests(): number { return 0; }
