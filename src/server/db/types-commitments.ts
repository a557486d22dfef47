// Table types of 证明事项告知承诺制；行政复议与企业矛盾纠纷调解案件 (issue 10). Joined into DB in types.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CommitmentTables {}
