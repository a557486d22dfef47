// 消息通知: messages to the signed-in user; opening one with a link marks it read and goes there.

import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Badge, Button, Empty, Space } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { CheckOutlined, RightOutlined } from '@ant-design/icons';
import { api, type Page } from '../../api.js';
import { home } from '../../i18n/index.js';
import { formatDateTime } from '../../components/format.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ListPage } from '../../components/ListPage.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { NOTIFICATIONS_KEY } from '../../components/notifications.js';

const T = home.notifications;

interface Notice {
  id: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

type NoticePage = Page<Notice> & { unread: number };

export default function NotificationsPage() {
  const { message } = useFeedback();
  const showError = useApiError();
  const navigate = useNavigate();
  // This list and the header bell (the same key) both refresh after a change.
  const invalidate = useInvalidate();
  const refresh = () => void invalidate(NOTIFICATIONS_KEY);
  const list = useList<Notice, NoticePage>(NOTIFICATIONS_KEY);
  const unreadOnly = list.filters.unread === '1';

  const markRead = useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${id}/read`),
    onSuccess: refresh,
    onError: (e) => showError(e),
  });
  const readAll = useMutation({
    mutationFn: () => api.post('/api/notifications/read-all'),
    onSuccess: () => {
      message.success(T.readAllDone);
      refresh();
    },
    onError: (e) => showError(e),
  });

  const openNotice = async (n: Notice) => {
    if (!n.readAt) await markRead.mutateAsync(n.id).catch(() => undefined);
    if (!n.link) return;
    // Links are normally in-app paths; an absolute URL opens in a new tab.
    if (/^https?:\/\//i.test(n.link)) window.open(n.link, '_blank', 'noopener');
    else navigate(n.link);
  };

  const unread = (list.data as NoticePage | undefined)?.unread ?? 0;

  return (
    <ListPage
      list={list}
      columns={[]}
      subTitle={unread > 0 ? <Badge count={unread} title={T.unreadCount(unread)} /> : undefined}
      filters={[{ kind: 'tabs', name: 'unread', label: T.unread, options: [{ value: '', label: T.all }, { value: '1', label: T.unread }] }]}
      actions={
        <ConfirmButton variant="button" icon={<CheckOutlined aria-hidden />} title={T.readAllConfirm} onConfirm={() => readAll.mutateAsync()} disabled={unread === 0}>
          {T.readAll}
        </ConfirmButton>
      }
      body={
        <>
          <div aria-busy={list.query.isFetching || undefined}>
            {list.items.length === 0 && !list.query.isLoading ? (
              <Empty description={unreadOnly ? T.emptyUnread : T.empty} />
            ) : (
              <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {list.items.map((n) => (
                  <li
                    key={n.id}
                    style={{
                      display: 'flex',
                      gap: 12,
                      padding: '12px 8px',
                      borderBottom: '1px solid rgba(5,5,5,0.06)',
                      background: n.readAt ? undefined : 'rgba(29,78,137,0.04)',
                    }}
                  >
                    <div style={{ paddingTop: 6 }}>
                      <Badge status={n.readAt ? 'default' : 'processing'} />
                    </div>
                    <div style={{ flex: 1, minWidth: 0 }}>
                      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                        <span style={{ fontWeight: n.readAt ? undefined : 600 }}>{n.title}</span>
                        <span className="text-secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                          {formatDateTime(n.createdAt)}
                        </span>
                      </Space>
                      {n.body && (
                        <p className="text-secondary clamp-2" style={{ margin: '4px 0 0' }}>
                          {n.body}
                        </p>
                      )}
                    </div>
                    <Space size={0} style={{ flex: 'none' }}>
                      {!n.readAt && (
                        <Button type="link" size="small" onClick={() => markRead.mutate(n.id)}>
                          {T.markRead}
                        </Button>
                      )}
                      {n.link && (
                        <Button type="link" size="small" icon={<RightOutlined />} iconPlacement="end" onClick={() => void openNotice(n)}>
                          {T.open}
                        </Button>
                      )}
                    </Space>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      }
    />
  );
}
