// 特权变更审批: privileged account changes wait here for an administrator of another duty.
// Deciders approve (with a note) or reject (with a reason); the requester follows their requests,
// withdraws one still waiting, and collects an approved one-time password exactly once.

import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import {
  Alert, Button, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Segmented, Space, Table, Tag, Tooltip, Typography, message,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { useCan } from '../../auth/useMe.js';
import { formatDateTime } from '../../components/format.js';
import { APPROVAL_KINDS, APPROVAL_STATUS, type ApprovalStatus } from '../../../../shared/schemas/approvals.js';
import { PageShell } from './PageShell.js';
import { showError, useInvalidate, useListQuery } from './hooks.js';
import { SecretModal, type Secret } from './SecretModal.js';

const T = t.approvals;

interface Person {
  id: string;
  username: string;
  displayName: string;
}

interface ApprovalRow {
  id: string;
  kind: keyof typeof APPROVAL_KINDS;
  summary: string;
  reason: string;
  details: string[];
  status: ApprovalStatus;
  requestedBy: Person;
  requestedAt: string;
  expiresAt: string;
  decidedBy: Person | null;
  decidedAt: string | null;
  decisionNote: string | null;
  mine: boolean;
  canDecide: boolean;
  canCancel: boolean;
  canCollect: boolean;
}

const STATUS_COLORS: Record<ApprovalStatus, string> = {
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
  expired: 'default',
};

const personName = (p: Person | null) => (p ? `${p.displayName}（${p.username}）` : '—');

function StatusTag({ status }: { status: ApprovalStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{APPROVAL_STATUS[status] ?? status}</Tag>;
}

function ApprovalDetail({ row }: { row: ApprovalRow }) {
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      items={[
        { key: 'kind', label: T.kind, children: APPROVAL_KINDS[row.kind] ?? row.kind },
        { key: 'summary', label: T.summary, children: row.summary },
        { key: 'reason', label: T.reason, children: row.reason },
        {
          key: 'details',
          label: T.details,
          children: (
            <Space orientation="vertical" size={2}>
              {row.details.map((d) => <Typography.Text key={d}>{d}</Typography.Text>)}
            </Space>
          ),
        },
        { key: 'requester', label: T.requester, children: personName(row.requestedBy) },
        { key: 'requestedAt', label: T.requestedAt, children: formatDateTime(row.requestedAt) },
        { key: 'expiresAt', label: T.expiresAt, children: formatDateTime(row.expiresAt) },
        { key: 'status', label: T.status, children: <StatusTag status={row.status} /> },
        { key: 'decider', label: T.decider, children: personName(row.decidedBy) },
        { key: 'decidedAt', label: T.decidedAt, children: formatDateTime(row.decidedAt) },
        { key: 'note', label: T.note, children: row.decisionNote || '—' },
      ]}
    />
  );
}

/** Approve (note optional) or reject (reason required) in a small modal form. */
function DecisionModal({ decision, onClose, onDone, onFailed }: {
  decision: { row: ApprovalRow; verb: 'approve' | 'reject' } | null;
  onClose: () => void;
  onDone: (verb: 'approve' | 'reject') => void;
  /** The request may have changed meanwhile (lapsed, decided by someone else): show it as it is now. */
  onFailed: () => void;
}) {
  const [toast, toastHolder] = message.useMessage();
  const [form] = Form.useForm<{ note?: string; reason?: string }>();
  const approving = decision?.verb === 'approve';
  const send = useMutation({
    mutationFn: (v: { note?: string; reason?: string }) =>
      approving
        ? api.post(`/api/approvals/${decision!.row.id}/approve`, { note: v.note ?? null })
        : api.post(`/api/approvals/${decision!.row.id}/reject`, { reason: v.reason ?? '' }),
    onSuccess: () => onDone(decision!.verb),
    onError: (e) => {
      showError(e, toast, form);
      onFailed();
    },
  });
  return (
    <Modal
      open={decision !== null}
      title={approving ? T.approveTitle : T.rejectTitle}
      okText={approving ? T.approve : T.reject}
      okButtonProps={{ danger: !approving, loading: send.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {toastHolder}
      {decision && (
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => send.mutate(v)}>
          <Typography.Paragraph strong>{decision.row.summary}</Typography.Paragraph>
          {approving ? (
            <>
              <Alert type="info" showIcon title={T.approveHint} style={{ marginBottom: 12 }} />
              <Form.Item name="note" label={T.note}>
                <Input.TextArea rows={3} maxLength={500} placeholder={T.notePlaceholder} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="reason" label={T.rejectReason} rules={[{ required: true, whitespace: true, message: T.rejectRequired }]}>
              <Input.TextArea rows={3} maxLength={500} />
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}

export default function ApprovalsPage() {
  const [toast, toastHolder] = message.useMessage();
  const can = useCan();
  const decider = can('approvals:decide');
  const invalidate = useInvalidate();
  const list = useListQuery<ApprovalRow>('approvals', '/api/approvals', { status: 'pending' });
  const status = (list.filters.status as ApprovalStatus | undefined) ?? '';

  const [viewing, setViewing] = useState<ApprovalRow | null>(null);
  const [decision, setDecision] = useState<{ row: ApprovalRow; verb: 'approve' | 'reject' } | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);

  const refresh = () => invalidate('approvals', 'users', 'roles', 'notifications');

  const cancel = useMutation({
    mutationFn: (r: ApprovalRow) => api.post(`/api/approvals/${r.id}/cancel`),
    onSuccess: () => {
      toast.success(T.cancelled);
      refresh();
    },
    onError: (e) => {
      showError(e, toast);
      refresh();
    },
  });

  const collect = useMutation({
    mutationFn: (r: ApprovalRow) => api.post<{ password: string; username: string | null }>(`/api/approvals/${r.id}/collect`),
    onSuccess: (res, r) => {
      setSecret({ title: `${T.secretTitle}：${r.summary}`, username: res.username ?? '', password: res.password });
      refresh();
    },
    onError: (e) => {
      showError(e, toast);
      refresh();
    },
  });

  const columns: TableColumnsType<ApprovalRow> = [
    { title: T.requestedAt, dataIndex: 'requestedAt', width: 170, render: formatDateTime },
    { title: T.kind, dataIndex: 'kind', width: 170, render: (k: ApprovalRow['kind']) => APPROVAL_KINDS[k] ?? k },
    {
      title: T.summary,
      dataIndex: 'summary',
      width: 360,
      render: (v: string, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text>{v}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.reason}</Typography.Text>
        </Space>
      ),
    },
    {
      title: T.requester,
      dataIndex: 'requestedBy',
      width: 170,
      render: (p: Person, r) => (
        <Space size={4}>
          {personName(p)}
          {r.mine && decider && <Tag>{T.mine}</Tag>}
        </Space>
      ),
    },
    { title: T.status, dataIndex: 'status', width: 90, render: (s: ApprovalStatus) => <StatusTag status={s} /> },
    {
      title: T.decider,
      dataIndex: 'decidedBy',
      width: 190,
      render: (p: Person | null, r) =>
        p ? (
          <Space orientation="vertical" size={0}>
            <Typography.Text>{personName(p)}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(r.decidedAt)}</Typography.Text>
          </Space>
        ) : '—',
    },
    {
      title: T.actions,
      key: 'actions',
      width: 240,
      fixed: 'right',
      render: (_: unknown, r) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setViewing(r)}>{T.detail}</Button>
          {r.canDecide && (
            <>
              <Button type="link" size="small" onClick={() => setDecision({ row: r, verb: 'approve' })}>{T.approve}</Button>
              <Button type="link" size="small" danger onClick={() => setDecision({ row: r, verb: 'reject' })}>{T.reject}</Button>
            </>
          )}
          {r.canCancel && (
            <Popconfirm title={T.cancelConfirm} onConfirm={() => cancel.mutateAsync(r)}>
              <Button type="link" size="small">{T.cancel}</Button>
            </Popconfirm>
          )}
          {r.canCollect && (
            <Popconfirm title={T.collectConfirm} onConfirm={() => collect.mutateAsync(r)}>
              <Button type="link" size="small">{T.collect}</Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  const statusOptions = [
    { value: 'pending', label: APPROVAL_STATUS.pending },
    { value: '', label: T.all },
    ...(['approved', 'rejected', 'cancelled', 'expired'] as const).map((s) => ({ value: s, label: APPROVAL_STATUS[s] })),
  ];

  return (
    <PageShell
      title={T.title}
      extra={
        <Tooltip title={T.refresh}>
          <Button icon={<ReloadOutlined />} aria-label={T.refresh} onClick={() => list.query.refetch()} />
        </Tooltip>
      }
    >
      {toastHolder}
      <Alert type="info" showIcon title={decider ? T.intro : T.requesterIntro} style={{ marginBottom: 16 }} />
      <Segmented
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => list.setFilters({ status: (v as string) || undefined })}
        options={statusOptions}
      />
      <Table<ApprovalRow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.query.isFetching}
        pagination={list.pagination}
        scroll={{ x: 1400 }}
      />

      <Drawer open={viewing !== null} title={T.detailTitle} size={560} onClose={() => setViewing(null)}>
        {viewing && <ApprovalDetail row={viewing} />}
      </Drawer>

      <DecisionModal
        decision={decision}
        onClose={() => setDecision(null)}
        onFailed={refresh}
        onDone={(verb) => {
          setDecision(null);
          toast.success(verb === 'approve' ? T.approved : T.rejected);
          refresh();
        }}
      />

      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </PageShell>
  );
}
