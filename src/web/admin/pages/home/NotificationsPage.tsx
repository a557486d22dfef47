// 通知: messages to the signed-in user; opening one with a link marks it read and goes there.

import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Badge, Button, Empty, Pagination, Popconfirm, Segmented, Space, Spin, Tooltip, Typography, message } from 'antd';
import { CheckOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { api, type Page } from '../../api.js';
import { PageShell } from '../system/PageShell.js';
import { formatDateTime } from '../../components/format.js';
import { showError, useInvalidate, useListQuery } from '../system/hooks.js';

const T = {
  title: '通知',
  all: '全部',
  unread: '未读',
  unreadCount: (n: number) => `${n} 条未读`,
  refresh: '刷新',
  readAll: '全部已读',
  readAllConfirm: '将所有通知标为已读？',
  readAllDone: '已全部标为已读',
  markRead: '标为已读',
  open: '查看',
  empty: '暂无通知',
  emptyUnread: '没有未读通知',
};

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
  const [toast, toastHolder] = message.useMessage();
  const navigate = useNavigate();
  // This list and the header bell ('/api/notifications' key) both refresh after a change.
  const invalidate = useInvalidate();
  const refresh = () => invalidate('notifications', '/api/notifications');
  const list = useListQuery<Notice, NoticePage>('notifications', '/api/notifications');
  const unreadOnly = list.filters.unread === '1';

  const markRead = useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${id}/read`),
    onSuccess: refresh,
    onError: (e) => showError(e, toast),
  });
  const readAll = useMutation({
    mutationFn: () => api.post('/api/notifications/read-all'),
    onSuccess: () => {
      toast.success(T.readAllDone);
      refresh();
    },
    onError: (e) => showError(e, toast),
  });

  const openNotice = async (n: Notice) => {
    if (!n.readAt) await markRead.mutateAsync(n.id).catch(() => undefined);
    if (!n.link) return;
    // Links are normally in-app paths; an absolute URL opens in a new tab.
    if (/^https?:\/\//i.test(n.link)) window.open(n.link, '_blank', 'noopener');
    else navigate(n.link);
  };

  const unread = list.query.data?.unread ?? 0;

  return (
    <PageShell
      title={
        <Space>
          {T.title}
          {unread > 0 && <Badge count={unread} title={T.unreadCount(unread)} />}
        </Space>
      }
      extra={
        <Space>
          <Tooltip title={T.refresh}>
            <Button icon={<ReloadOutlined />} onClick={refresh} />
          </Tooltip>
          <Popconfirm title={T.readAllConfirm} onConfirm={() => readAll.mutateAsync()} disabled={unread === 0}>
            <Button icon={<CheckOutlined />} disabled={unread === 0} loading={readAll.isPending}>{T.readAll}</Button>
          </Popconfirm>
        </Space>
      }
    >
      {toastHolder}
      <Segmented
        style={{ marginBottom: 16 }}
        value={unreadOnly ? '1' : ''}
        onChange={(v) => list.setFilters({ unread: v || undefined })}
        options={[{ value: '', label: T.all }, { value: '1', label: T.unread }]}
      />
      <Spin spinning={list.query.isFetching}>
        {list.items.length === 0 && !list.query.isLoading ? (
          <Empty description={unreadOnly ? T.emptyUnread : T.empty} />
        ) : (
          <div>
            {list.items.map((n) => (
              <div
                key={n.id}
                role={n.link ? 'link' : undefined}
                tabIndex={n.link ? 0 : undefined}
                onClick={() => n.link && openNotice(n)}
                onKeyDown={(e) => e.key === 'Enter' && n.link && openNotice(n)}
                style={{
                  display: 'flex',
                  gap: 12,
                  padding: '12px 8px',
                  borderBottom: '1px solid rgba(5,5,5,0.06)',
                  cursor: n.link ? 'pointer' : 'default',
                  background: n.readAt ? undefined : 'rgba(22,119,255,0.04)',
                }}
              >
                <div style={{ paddingTop: 6 }}>
                  <Badge status={n.readAt ? 'default' : 'processing'} />
                </div>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                    <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {formatDateTime(n.createdAt)}
                    </Typography.Text>
                  </Space>
                  {n.body && (
                    <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }} ellipsis={{ rows: 2 }}>
                      {n.body}
                    </Typography.Paragraph>
                  )}
                </div>
                <Space size={0} style={{ flex: 'none' }}>
                  {!n.readAt && (
                    <Button
                      type="link"
                      size="small"
                      onClick={(e) => {
                        e.stopPropagation();
                        markRead.mutate(n.id);
                      }}
                    >
                      {T.markRead}
                    </Button>
                  )}
                  {n.link && (
                    <Button type="link" size="small" icon={<RightOutlined />} iconPlacement="end">
                      {T.open}
                    </Button>
                  )}
                </Space>
              </div>
            ))}
          </div>
        )}
      </Spin>
      {list.total > list.pageSize && (
        <div style={{ marginTop: 16, textAlign: 'right' }}>
          <Pagination {...list.pagination} />
        </div>
      )}
    </PageShell>
  );
}
