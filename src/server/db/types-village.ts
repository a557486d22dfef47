// Table types of 法律志愿服务进乡村“1155”工程 (issue 10). Joined into DB in types.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VillageTables {}
