// The current user's unread notifications (header bell, home page).
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.js';
import { common } from '../i18n/index.js';

export interface NotificationItem {
  id: string;
  title?: string | null;
  body?: string | null;
  content?: string | null;
  link?: string | null;
  createdAt?: string | null;
  readAt?: string | null;
}

export interface NotificationPage {
  items: NotificationItem[];
  total: number;
  unread: number;
}

export const NOTIFICATIONS_KEY = '/api/notifications';

export function useUnreadNotifications(pageSize = 5) {
  return useQuery({
    queryKey: [NOTIFICATIONS_KEY, { unread: 1, pageSize }],
    queryFn: () => api.get<NotificationPage>(`/api/notifications?unread=1&pageSize=${pageSize}`),
    retry: false,
    staleTime: 30_000,
    // No polling: every request renews the session, so a timer would keep an unattended browser
    // logged in for ever and defeat the idle timeout. The bell refreshes as the user moves around.
  });
}

export function notificationText(n: NotificationItem): string {
  return n.title || n.body || n.content || common.untitled;
}
