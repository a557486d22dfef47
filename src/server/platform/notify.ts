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
