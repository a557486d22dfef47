// 登录日志: every sign-in attempt, successful or not; read-only, exportable.

import { Button, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { download, qs } from '../../api.js';
import { PageShell } from './PageShell.js';
import { formatDateTime } from '../../components/format.js';
import { useListQuery } from './hooks.js';
import { LOGIN_REASON_LABELS, label } from './labels.js';
import { rangeToParams, type DateRange } from './range.js';

const T = {
  title: '登录日志',
  refresh: '刷新',
  export: '导出 Excel',
  username: '用户名',
  result: '结果',
  success: '成功',
  failure: '失败',
  dates: ['开始日期', '结束日期'] as [string, string],
  at: '时间',
  ip: 'IP 地址',
  userAgent: '浏览器',
  reason: '失败原因',
  search: '查询',
  reset: '重置',
};

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

interface Filters {
  username?: string;
  success?: '1' | '0';
  dates?: DateRange;
}

export default function LoginLogPage() {
  const [form] = Form.useForm<Filters>();
  const list = useListQuery<LoginLogRow>('login-logs', '/api/login-logs');

  const apply = () => {
    const v = form.getFieldsValue();
    list.setFilters({ username: v.username?.trim(), success: v.success, ...rangeToParams(v.dates) });
  };

  const columns: TableColumnsType<LoginLogRow> = [
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

  return (
    <PageShell
      title={T.title}
      extra={
        <Space>
          <Tooltip title={T.refresh}>
            <Button icon={<ReloadOutlined />} onClick={() => list.query.refetch()} />
          </Tooltip>
          <Button icon={<DownloadOutlined />} onClick={() => download('/api/login-logs/export' + qs(list.params))}>
            {T.export}
          </Button>
        </Space>
      }
    >
      <Form<Filters> form={form} name="loginLogFilter" layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={apply}>
        <Form.Item name="username">
          <Input allowClear placeholder={T.username} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="success">
          <Select
            allowClear
            placeholder={T.result}
            style={{ width: 100 }}
            options={[{ value: '1', label: T.success }, { value: '0', label: T.failure }]}
          />
        </Form.Item>
        <Form.Item name="dates">
          <DatePicker.RangePicker placeholder={T.dates} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">{T.search}</Button>
            <Button
              onClick={() => {
                form.resetFields();
                list.setFilters({});
              }}
            >
              {T.reset}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<LoginLogRow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.query.isFetching}
        pagination={list.pagination}
        scroll={{ x: 900 }}
      />
    </PageShell>
  );
}
