import type { Kysely, Transaction } from 'kysely';
import type { DB, NotificationTable } from '../db/types.js';
import { newId } from './ids.js';

export interface NotificationInput {
  title: string;
  body?: string | null;
  /** An in-app path such as '/opinions/123'; never an outside address (no open redirects from the bell). */
  link?: string | null;
}

/**
 * Queues in-app notifications for users, inside the caller's transaction, so a notice exists exactly
 * when the change it announces was saved. Duplicate user ids get one notification. Answers the new ids.
 */
export async function notify(
  trx: Transaction<DB> | Kysely<DB>,
  now: string | Date,
  userIds: readonly string[],
  n: NotificationInput,
): Promise<string[]> {
  const title = n.title.trim();
  if (!title) throw new Error('notify: title is required');
  const link = n.link || null;
  if (link && (!link.startsWith('/') || link.startsWith('//') || link.includes('\\'))) {
    throw new Error(`notify: link must be an in-app path, got ${link}`);
  }
  const at = typeof now === 'string' ? now : now.toISOString();
  const rows: NotificationTable[] = [...new Set(userIds.filter(Boolean))].map((userId) => ({
    id: newId(),
    user_id: userId,
    title: title.slice(0, 200),
    body: n.body ?? null,
    link,
    created_at: at,
    read_at: null,
  }));
  // Batches keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('notification').values(rows.slice(i, i + 200)).execute();
  return rows.map((r) => r.id);
}

/** Notifies the active accounts of these people (催报); answers how many accounts were told. */
export async function notifyPeople(
  trx: Transaction<DB> | Kysely<DB>,
  now: string | Date,
  personIds: readonly string[],
  n: NotificationInput,
): Promise<number> {
  const users: string[] = [];
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = await trx.selectFrom('app_user').select('id').where('person_id', 'in', personIds.slice(i, i + 500)).where('status', '=', 'active').execute();
    users.push(...rows.map((r) => r.id));
  }
  await notify(trx, now, users, n);
  return users.length;
}

/**
 * The active accounts of a unit holding a permission through any of their roles: whom a unit-level
 * notice (overdue opinions, overdue ledger items) goes to.
 */
export async function unitAccountsWith(trx: Transaction<DB> | Kysely<DB>, unitId: string, permission: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('app_user')
    .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
    .innerJoin('role', 'role.id', 'user_role.role_id')
    .select('app_user.id')
    .where('app_user.org_unit_id', '=', unitId)
    .where('app_user.status', '=', 'active')
    // role.permissions is a JSON array of names; the quotes keep 'a:b' from matching 'a:bc'.
    .where('role.permissions', 'like', `%"${permission}"%`)
    .execute();
  return rows.map((r) => r.id);
}
