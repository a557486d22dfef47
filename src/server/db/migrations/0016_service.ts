import type { Kysely } from 'kysely';

// 为民服务：便民利民措施、法律服务工作站、企业服务与法治体检.
export async function up(_db: Kysely<any>): Promise<void> {}
