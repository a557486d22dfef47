import type { Kysely } from 'kysely';

// The opinions list and its search at a million rows (modules/opinions/queries.ts, platform/list.ts):
// the list's order (newest first, then id) and each filter followed by that order are one index
// range each. The search's exactness check walks opinion_submitted_id by name (SQLite INDEXED BY).
// The narrower indexes they supersede (same leading columns) go.

const ADD: [string, string[]][] = [
  ['opinion_submitted_id', ['submitted_at', 'id']],
  ['opinion_status_sort', ['status', 'submitted_at', 'id']],
  ['opinion_category_sort', ['category', 'submitted_at', 'id']],
  ['opinion_channel_sort', ['channel', 'submitted_at', 'id']],
  ['opinion_unit_sort', ['assigned_unit_id', 'submitted_at', 'id']],
];
const DROP: [string, string[]][] = [
  ['opinion_submitted', ['submitted_at']],
  ['opinion_status', ['status', 'submitted_at']],
  ['opinion_category', ['category', 'submitted_at']],
  ['opinion_channel', ['channel', 'submitted_at']],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of ADD) await db.schema.createIndex(name).on('opinion').columns(columns).execute();
  for (const [name] of DROP) await db.schema.dropIndex(name).ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of DROP) await db.schema.createIndex(name).ifNotExists().on('opinion').columns(columns).execute();
  for (const [name] of ADD) await db.schema.dropIndex(name).ifExists().execute();
}
