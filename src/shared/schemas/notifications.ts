import { z } from 'zod';

// In-app notifications: each belongs to one user, who alone sees and marks them.

export const NotificationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
  unread: z.enum(['0', '1']).default('0').describe('仅未读'),
});
export type NotificationQuery = z.infer<typeof NotificationQuery>;

export interface NotificationView {
  id: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationList {
  items: NotificationView[];
  total: number;
  /** The caller's unread count, whatever the filter: the bell's badge. */
  unread: number;
}
