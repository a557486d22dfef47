// 在线会话: who is signed in now; a security admin can force a session off.

import { useMutation } from '@tanstack/react-query';
import { Space, Tag } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { formatDateTime } from '../../components/format.js';
import type { Columns } from '../../components/DataTable.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ListPage } from '../../components/ListPage.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useCan } from '../../auth/useMe.js';

const T = system.sessions;

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
  const { message } = useFeedback();
  const showError = useApiError();
  const can = useCan();
  const canRevoke = can('sessions:revoke');
  const invalidate = useInvalidate();
  const list = useList<SessionRow>('/api/sessions', { refetchInterval: 30_000 });

  const revoke = useMutation({
    mutationFn: (id: string) => api.del(`/api/sessions/${id}`),
    onSuccess: () => {
      message.success(T.revoked);
      void invalidate('/api/sessions');
    },
    onError: (e) => showError(e),
  });

  const columns: Columns<SessionRow> = [
    {
      title: T.user,
      dataIndex: 'displayName',
      render: (v: string, s) => (
        <Space size={4}>
          <span>{v}</span>
          <span className="text-secondary">{s.username}</span>
          {s.current && <Tag color="blue">{T.current}</Tag>}
        </Space>
      ),
    },
    { title: T.ip, dataIndex: 'ip', width: 150, render: (v: string | null) => v ?? '—' },
    {
      title: T.userAgent,
      dataIndex: 'userAgent',
      width: 200,
      render: (v: string | null) => <span title={v ?? undefined}>{shortAgent(v)}</span>,
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
          <span className="text-secondary" title={T.revokeSelf}>{T.current}</span>
        ) : (
          <ConfirmButton danger title={T.revokeConfirm} onConfirm={() => revoke.mutateAsync(s.id)}>
            {T.revoke}
          </ConfirmButton>
        ),
    });

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={T.autoRefresh}
      // The half-minute refresh updates the rows in place, without a spinner over them.
      table={{ minWidth: 900, loading: list.query.isLoading }}
    />
  );
}
