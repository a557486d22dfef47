// 特权变更审批: privileged account changes wait here for an administrator of another duty.
// Deciders approve (with a note) or reject (with a reason); the requester follows their requests,
// withdraws one still waiting, and collects an approved one-time password exactly once.

import { lazy, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Space, Tag } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { useCan } from '../../auth/useMe.js';
import { formatDateTime } from '../../components/format.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { OnDemand } from '../../components/OnDemand.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { APPROVAL_KINDS, APPROVAL_STATUS, type ApprovalStatus } from '../../../../shared/schemas/approvals.js';
import type { Secret } from './SecretModal.js';

const SecretModal = lazy(() => import('./SecretModal.js'));
const ApprovalDetailDrawer = lazy(() => import('./ApprovalParts.js').then((m) => ({ default: m.ApprovalDetailDrawer })));
const DecisionModal = lazy(() => import('./ApprovalParts.js').then((m) => ({ default: m.DecisionModal })));

const T = system.approvals;
const KEY = '/api/approvals';

interface Person {
  id: string;
  username: string;
  displayName: string;
}

export interface ApprovalRow {
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

export const personName = (p: Person | null) => (p ? `${p.displayName}（${p.username}）` : '—');

export function StatusTag({ status }: { status: ApprovalStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{APPROVAL_STATUS[status] ?? status}</Tag>;
}

export default function ApprovalsPage() {
  const { message } = useFeedback();
  const showError = useApiError();
  const decider = useCan()('approvals:decide');
  const invalidate = useInvalidate();
  const list = useList<ApprovalRow>(KEY, { initial: { status: 'pending' } });

  const [viewing, setViewing] = useState<ApprovalRow | null>(null);
  const [decision, setDecision] = useState<{ row: ApprovalRow; verb: 'approve' | 'reject' } | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);

  const refresh = () => void invalidate(KEY, '/api/users', '/api/roles', '/api/notifications');

  const cancel = useMutation({
    mutationFn: (r: ApprovalRow) => api.post(`${KEY}/${r.id}/cancel`),
    onSuccess: () => {
      message.success(T.cancelled);
      refresh();
    },
    onError: (e) => {
      showError(e);
      refresh();
    },
  });

  const collect = useMutation({
    mutationFn: (r: ApprovalRow) => api.post<{ password: string; username: string | null }>(`${KEY}/${r.id}/collect`),
    onSuccess: (res, r) => {
      setSecret({ title: `${T.secretTitle}：${r.summary}`, username: res.username ?? '', password: res.password });
      refresh();
    },
    onError: (e) => {
      showError(e);
      refresh();
    },
  });

  const columns: Columns<ApprovalRow> = [
    { title: T.requestedAt, dataIndex: 'requestedAt', width: 170, render: formatDateTime },
    { title: T.kind, dataIndex: 'kind', width: 170, render: (k: ApprovalRow['kind']) => APPROVAL_KINDS[k] ?? k },
    {
      title: T.summary,
      dataIndex: 'summary',
      width: 360,
      render: (v: string, r) => (
        <Space orientation="vertical" size={0}>
          <span>{v}</span>
          <span className="text-secondary" style={{ fontSize: 12 }}>{r.reason}</span>
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
            <span>{personName(p)}</span>
            <span className="text-secondary" style={{ fontSize: 12 }}>{formatDateTime(r.decidedAt)}</span>
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
          <button type="button" className="link-action" onClick={() => setViewing(r)}>{T.detail}</button>
          {r.canDecide && (
            <>
              <button type="button" className="link-action" onClick={() => setDecision({ row: r, verb: 'approve' })}>{T.approve}</button>
              <button type="button" className="link-action danger" onClick={() => setDecision({ row: r, verb: 'reject' })}>{T.reject}</button>
            </>
          )}
          {r.canCancel && (
            <ConfirmButton title={T.cancelConfirm} onConfirm={() => cancel.mutateAsync(r)}>
              {T.cancel}
            </ConfirmButton>
          )}
          {r.canCollect && (
            <ConfirmButton title={T.collectConfirm} onConfirm={() => collect.mutateAsync(r)}>
              {T.collect}
            </ConfirmButton>
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
    <ListPage
      list={list}
      columns={columns}
      notice={<Alert type="info" showIcon title={decider ? T.intro : T.requesterIntro} style={{ marginBottom: 12 }} />}
      filters={[{ kind: 'tabs', name: 'status', label: T.status, options: statusOptions }]}
      table={{ minWidth: 1400 }}
    >
      <OnDemand open={viewing !== null}>
        <ApprovalDetailDrawer row={viewing} onClose={() => setViewing(null)} />
      </OnDemand>
      <OnDemand open={decision !== null}>
        <DecisionModal
          decision={decision}
          onClose={() => setDecision(null)}
          onFailed={refresh}
          onDone={() => {
            setDecision(null);
            refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={secret !== null}>
        <SecretModal secret={secret} onClose={() => setSecret(null)} />
      </OnDemand>
    </ListPage>
  );
}
