/** Maximum page sizes (Directory API reference): users.list 500, groups.list and members.list "Max allowed value is 200". */
export const GOOGLE_PAGE_SIZES = { users: 500, groups: 200, members: 200 } as const;
