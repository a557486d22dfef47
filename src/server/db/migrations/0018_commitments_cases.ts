import type { Kysely } from 'kysely';

// 证明事项告知承诺制；行政复议与企业矛盾纠纷调解案件.
export async function up(_db: Kysely<any>): Promise<void> {}
