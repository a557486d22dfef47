// Table types of 为民服务：便民利民措施、法律服务工作站、企业服务与法治体检 (issue 10). Joined into DB in types.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceTables {}
