// What 特权审批 shows on demand: a request's details (a drawer) and the approve / reject form (a
// dialog). Loaded when first opened, not with the list.
import { Alert, Descriptions, Drawer, Form, Input, Space, Typography } from 'antd';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { formatDateTime } from '../../components/format.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { APPROVAL_KINDS } from '../../../../shared/schemas/approvals.js';
import { personName, StatusTag, type ApprovalRow } from './ApprovalsPage.js';

const T = system.approvals;
const KEY = '/api/approvals';

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

export function ApprovalDetailDrawer({ row, onClose }: { row: ApprovalRow | null; onClose: () => void }) {
  return (
    <Drawer open={row !== null} title={T.detailTitle} size={560} onClose={onClose}>
      {row && <ApprovalDetail row={row} />}
    </Drawer>
  );
}

/** Approve (note optional) or reject (reason required) in a small modal form. */
export function DecisionModal({ decision, onClose, onDone, onFailed }: {
  decision: { row: ApprovalRow; verb: 'approve' | 'reject' } | null;
  onClose: () => void;
  onDone: (verb: 'approve' | 'reject') => void;
  /** The request may have changed meanwhile (lapsed, decided by someone else): show it as it is now. */
  onFailed: () => void;
}) {
  const approving = decision?.verb === 'approve';
  return (
    <FormDrawer<{ note?: string; reason?: string }>
      as="modal"
      open={decision !== null}
      title={approving ? T.approveTitle : T.rejectTitle}
      okText={approving ? T.approve : T.reject}
      okDanger={!approving}
      onClose={onClose}
      savedMessage={approving ? T.approved : T.rejected}
      onSubmit={(v) =>
        approving
          ? api.post(`${KEY}/${decision!.row.id}/approve`, { note: v.note ?? null })
          : api.post(`${KEY}/${decision!.row.id}/reject`, { reason: v.reason ?? '' })
      }
      onSaved={() => onDone(decision!.verb)}
      onFailed={onFailed}
    >
      {decision && (
        <>
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
        </>
      )}
    </FormDrawer>
  );
}

