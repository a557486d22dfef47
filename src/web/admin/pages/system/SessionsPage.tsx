// 在线会话: who is signed in now; a security admin can force a session off.

import { useMutation } from '@tanstack/react-query';
import { Button, Popconfirm, Space, Table, Tag, Tooltip, Typography, message } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { PageShell } from './PageShell.js';
import { formatDateTime } from '../../components/format.js';
import { showError, useInvalidate, useListQuery } from './hooks.js';
import { useCan } from '../../auth/useMe.js';

const T = {
  title: '在线会话',
  refresh: '刷新',
  autoRefresh: '每 30 秒自动刷新',
  user: '账号',
  ip: 'IP 地址',
  userAgent: '浏览器',
  createdAt: '登录时间',
  lastSeenAt: '最近活动',
  actions: '操作',
  current: '当前会话',
  revoke: '强制下线',
  revokeConfirm: '该会话将立即失效，对方需重新登录。确定强制下线？',
  revokeSelf: '不能强制下线自己当前的会话，请使用“退出登录”',
  revoked: '已强制下线',
};

interface SessionRow {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

/** A short browser/OS summary; the full user agent is in the tooltip. */
function shortAgent(ua: string | null): string {
  if (!ua) return '—';
  const browser =
    /Edg\/([\d]+)/.exec(ua)?.[0].replace('Edg/', 'Edge ') ??
    /QQBrowser\/([\d]+)/.exec(ua)?.[0].replace('/', ' ') ??
    /Chrome\/([\d]+)/.exec(ua)?.[0].replace('/', ' ') ??
    /Firefox\/([\d]+)/.exec(ua)?.[0].replace('/', ' ') ??
    (/Safari\//.test(ua) ? 'Safari' : null);
  const os = /Windows NT/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  const s = [browser, os].filter(Boolean).join(' / ');
  return s || ua.slice(0, 40);
}

export default function SessionsPage() {
  const [toast, toastHolder] = message.useMessage();
  const can = useCan();
  const canRevoke = can('sessions:revoke');
  const invalidate = useInvalidate();
  const list = useListQuery<SessionRow>('sessions', '/api/sessions', {}, { refetchInterval: 30_000 });

  const revoke = useMutation({
    mutationFn: (id: string) => api.del(`/api/sessions/${id}`),
    onSuccess: () => {
      toast.success(T.revoked);
      invalidate('sessions');
    },
    onError: (e) => showError(e, toast),
  });

  const columns: TableColumnsType<SessionRow> = [
    {
      title: T.user,
      dataIndex: 'displayName',
      render: (v: string, s) => (
        <Space size={4}>
          <span>{v}</span>
          <Typography.Text type="secondary">{s.username}</Typography.Text>
          {s.current && <Tag color="blue">{T.current}</Tag>}
        </Space>
      ),
    },
    { title: T.ip, dataIndex: 'ip', width: 150, render: (v: string | null) => v ?? '—' },
    {
      title: T.userAgent,
      dataIndex: 'userAgent',
      width: 200,
      render: (v: string | null) => <Tooltip title={v}>{shortAgent(v)}</Tooltip>,
    },
    { title: T.createdAt, dataIndex: 'createdAt', width: 170, render: formatDateTime },
    { title: T.lastSeenAt, dataIndex: 'lastSeenAt', width: 170, render: formatDateTime },
  ];
  if (canRevoke)
    columns.push({
      title: T.actions,
      key: 'actions',
      width: 110,
      render: (_: unknown, s) =>
        s.current ? (
          <Tooltip title={T.revokeSelf}>
            <Button type="link" size="small" danger disabled>{T.revoke}</Button>
          </Tooltip>
        ) : (
          <Popconfirm title={T.revokeConfirm} onConfirm={() => revoke.mutateAsync(s.id)}>
            <Button type="link" size="small" danger>{T.revoke}</Button>
          </Popconfirm>
        ),
    });

  return (
    <PageShell
      title={T.title}
      extra={
        <Space>
          <Typography.Text type="secondary">{T.autoRefresh}</Typography.Text>
          <Tooltip title={T.refresh}>
            <Button icon={<ReloadOutlined />} loading={list.query.isFetching} onClick={() => list.query.refetch()} />
          </Tooltip>
        </Space>
      }
    >
      {toastHolder}
      <Table<SessionRow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.query.isLoading}
        pagination={list.pagination}
        scroll={{ x: 900 }}
      />
    </PageShell>
  );
}
