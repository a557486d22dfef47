import type { Kysely } from 'kysely';

// “三个规定”记录报告与零报告；制度文件.
export async function up(_db: Kysely<any>): Promise<void> {}
