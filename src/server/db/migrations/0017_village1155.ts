import type { Kysely } from 'kysely';

// 法律志愿服务进乡村“1155”工程.
export async function up(_db: Kysely<any>): Promise<void> {}
