// 审计日志: the hash-chained record of every change. Read-only: nothing here edits or deletes.

import { useState, type CSSProperties } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Table, Tooltip, Typography, message } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { api, download, qs } from '../../api.js';
import { PageShell } from './PageShell.js';
import { formatDateTime } from '../../components/format.js';
import { showError, useListQuery } from './hooks.js';
import { ACTION_LABELS, ENTITY_LABELS, label, optionsOf } from './labels.js';
import { rangeToParams, type DateRange } from './range.js';

const T = {
  title: '审计日志',
  refresh: '刷新',
  export: '导出 Excel',
  verify: '校验审计链',
  verifying: '正在校验…',
  verifyOk: (n: number) => `审计链完整：共 ${n} 条记录，逐条校验哈希无误`,
  verifyBroken: (n: number | string) => `审计链断裂：第 ${n} 条记录被篡改或缺失`,
  verifyEntries: (n: number) => `已校验 ${n} 条记录。`,
  actor: '操作人',
  action: '操作',
  entityType: '对象类型',
  entityId: '对象编号',
  dates: ['开始日期', '结束日期'] as [string, string],
  search: '查询',
  reset: '重置',
  seq: '序号',
  at: '时间',
  ip: 'IP 地址',
  field: '字段',
  before: '变更前',
  after: '变更后',
  noChange: '（无字段变化）',
  empty: '空',
  hash: '本条哈希',
  prevHash: '上条哈希',
  system: '系统',
};

interface AuditRow {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  ip: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  hash: string;
  prevHash: string | null;
}

interface VerifyResult {
  ok: boolean;
  entries: number;
  brokenAt?: number | string;
  reason?: string;
}

interface Filters {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  dates?: DateRange;
}

/** before/after may arrive as objects or as JSON text. */
function asObject(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string') {
    try {
      return asObject(JSON.parse(v));
    } catch {
      return { value: v };
    }
  }
  if (typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  return { value: v };
}

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return T.empty;
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

interface DiffRow {
  key: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

function diffRows(before: unknown, after: unknown): DiffRow[] {
  const b = asObject(before) ?? {};
  const a = asObject(after) ?? {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((key) => ({
    key,
    before: b[key],
    after: a[key],
    changed: JSON.stringify(b[key]) !== JSON.stringify(a[key]),
  }));
}

function Diff({ row }: { row: AuditRow }) {
  const hasBefore = asObject(row.before) !== null;
  const hasAfter = asObject(row.after) !== null;
  const rows = diffRows(row.before, row.after);
  // For updates only what changed matters; for creates/deletes every field is the record.
  const shown = hasBefore && hasAfter ? rows.filter((r) => r.changed) : rows;
  const cell = (v: unknown, changed: boolean, side: 'before' | 'after') => (
    <Typography.Text
      delete={changed && side === 'before' && hasAfter}
      type={changed && side === 'before' ? 'secondary' : undefined}
      strong={changed && side === 'after'}
      style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
    >
      {show(v)}
    </Typography.Text>
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {shown.length === 0 ? (
        <Typography.Text type="secondary">{T.noChange}</Typography.Text>
      ) : (
        <table style={{ borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed' }}>
          <colgroup>
            <col style={{ width: 180 }} />
            {hasBefore && <col />}
            {hasBefore && hasAfter && <col style={{ width: 32 }} />}
            {hasAfter && <col />}
          </colgroup>
          <thead>
            <tr>
              <th style={th}>{T.field}</th>
              {hasBefore && <th style={th}>{T.before}</th>}
              {hasBefore && hasAfter && <th style={th} />}
              {hasAfter && <th style={th}>{T.after}</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.key}>
                <td style={td}><Typography.Text code>{r.key}</Typography.Text></td>
                {hasBefore && <td style={td}>{cell(r.before, r.changed, 'before')}</td>}
                {hasBefore && hasAfter && <td style={{ ...td, textAlign: 'center' }}>→</td>}
                {hasAfter && <td style={td}>{cell(r.after, r.changed, 'after')}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace', wordBreak: 'break-all' }}>
        {T.prevHash}：{row.prevHash ?? '—'}
        <br />
        {T.hash}：{row.hash}
      </Typography.Text>
    </Space>
  );
}

const th: CSSProperties = { textAlign: 'left', padding: '4px 8px', borderBottom: '1px solid rgba(5,5,5,0.12)', fontWeight: 500 };
const td: CSSProperties = { padding: '4px 8px', borderBottom: '1px solid rgba(5,5,5,0.06)', verticalAlign: 'top' };

export default function AuditLogPage() {
  const [toast, toastHolder] = message.useMessage();
  const [form] = Form.useForm<Filters>();
  const list = useListQuery<AuditRow>('audit-logs', '/api/audit-logs');
  const [verdict, setVerdict] = useState<VerifyResult | null>(null);

  const verify = useMutation({
    mutationFn: () => api.get<VerifyResult>('/api/audit-logs/verify'),
    onSuccess: setVerdict,
    onError: (e) => showError(e, toast),
  });

  const apply = () => {
    const v = form.getFieldsValue();
    list.setFilters({
      actor: v.actor?.trim(),
      action: v.action,
      entityType: v.entityType,
      entityId: v.entityId?.trim(),
      ...rangeToParams(v.dates),
    });
  };

  const columns: TableColumnsType<AuditRow> = [
    { title: T.seq, dataIndex: 'seq', width: 80 },
    { title: T.at, dataIndex: 'at', width: 170, render: formatDateTime },
    { title: T.actor, dataIndex: 'actorName', width: 180, ellipsis: true, render: (v: string | null) => v ?? T.system },
    { title: T.ip, dataIndex: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
    {
      title: T.action,
      dataIndex: 'action',
      width: 120,
      render: (v: string) => <Tooltip title={v}>{label(ACTION_LABELS, v)}</Tooltip>,
    },
    {
      title: T.entityType,
      dataIndex: 'entityType',
      width: 100,
      render: (v: string) => <Tooltip title={v}>{label(ENTITY_LABELS, v)}</Tooltip>,
    },
    {
      title: T.entityId,
      dataIndex: 'entityId',
      // Ids are long: one line with the copy icon kept visible, the whole id on hover.
      render: (v: string | null) =>
        v ? (
          <Typography.Text copyable={{ text: v }} ellipsis={{ tooltip: v }} style={{ maxWidth: 260 }}>
            {v}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <PageShell
      title={T.title}
      extra={
        <Space>
          <Tooltip title={T.refresh}>
            <Button icon={<ReloadOutlined />} onClick={() => list.query.refetch()} />
          </Tooltip>
          <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
            {verify.isPending ? T.verifying : T.verify}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => download('/api/audit-logs/export' + qs(list.params))}>
            {T.export}
          </Button>
        </Space>
      }
    >
      {toastHolder}
      {verdict && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable={{ onClose: () => setVerdict(null) }}
          type={verdict.ok ? 'success' : 'error'}
          title={verdict.ok ? T.verifyOk(verdict.entries) : T.verifyBroken(verdict.brokenAt ?? '?')}
          description={verdict.ok ? undefined : [T.verifyEntries(verdict.entries), verdict.reason].filter(Boolean).join(' ')}
        />
      )}
      <Form<Filters> form={form} name="auditFilter" layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={apply}>
        <Form.Item name="actor">
          <Input allowClear placeholder={T.actor} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="action">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={T.action}
            style={{ width: 140 }}
            options={optionsOf(ACTION_LABELS)}
          />
        </Form.Item>
        <Form.Item name="entityType">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={T.entityType}
            style={{ width: 130 }}
            options={optionsOf(ENTITY_LABELS)}
          />
        </Form.Item>
        <Form.Item name="entityId">
          <Input allowClear placeholder={T.entityId} style={{ width: 160 }} />
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
      <Table<AuditRow>
        rowKey="seq"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.query.isFetching}
        pagination={list.pagination}
        expandable={{ expandedRowRender: (r) => <Diff row={r} /> }}
        scroll={{ x: 900 }}
      />
    </PageShell>
  );
}
