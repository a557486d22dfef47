// 登录日志: every sign-in attempt, successful or not; read-only, exportable.
import { Tag } from 'antd';
import { system } from '../../i18n/index.js';
import { formatDateTime } from '../../components/format.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { useList } from '../../components/useList.js';
import { label } from './labels.js';
import { LOGIN_REASON_LABELS } from './logLabels.js';

const T = system.loginLog;

interface LoginLogRow {
  id: string;
  username: string;
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
  success: boolean | number;
  reason: string | null;
  at: string;
}

const columns: Columns<LoginLogRow> = [
  { title: T.at, dataIndex: 'at', width: 170, render: formatDateTime },
  { title: T.username, dataIndex: 'username', width: 140 },
  {
    title: T.result,
    dataIndex: 'success',
    width: 80,
    render: (v: boolean | number) => (v ? <Tag color="green">{T.success}</Tag> : <Tag color="red">{T.failure}</Tag>),
  },
  {
    title: T.reason,
    dataIndex: 'reason',
    width: 130,
    render: (v: string | null, r) => (r.success ? '—' : label(LOGIN_REASON_LABELS, v)),
  },
  { title: T.ip, dataIndex: 'ip', width: 150, render: (v: string | null) => v ?? '—' },
  { title: T.userAgent, dataIndex: 'userAgent', ellipsis: { showTitle: true }, render: (v: string | null) => v ?? '—' },
];

export default function LoginLogPage() {
  const list = useList<LoginLogRow>('/api/login-logs');
  return (
    <ListPage
      list={list}
      columns={columns}
      exportPath="/api/login-logs/export"
      exportLabel={T.export}
      filters={[
        { kind: 'search', name: 'username', label: T.username, width: 200 },
        { kind: 'select', name: 'success', label: T.result, options: [{ value: '1', label: T.success }, { value: '0', label: T.failure }], width: 110 },
        { kind: 'dates', from: 'from', to: 'to', label: T.period, placeholder: T.dates },
      ]}
      table={{ minWidth: 900 }}
    />
  );
}
