// Table types of “三个规定”记录报告与零报告；制度文件 (issue 10). Joined into DB in types.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InterferenceTables {}
