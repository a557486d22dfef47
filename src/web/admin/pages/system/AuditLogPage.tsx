// 审计日志: the hash-chained record of every change. Read-only: nothing here edits or deletes.

import { useState, type CSSProperties } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Space } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { formatDateTime } from '../../components/format.js';
import type { Columns } from '../../components/DataTable.js';
import { CopyText } from '../../components/CopyText.js';
import { ListPage } from '../../components/ListPage.js';
import { useApiError } from '../../components/useApiError.js';
import { useList } from '../../components/useList.js';
import { label, optionsOf } from './labels.js';
import { ACTION_LABELS, ENTITY_LABELS } from './logLabels.js';

const T = system.auditLog;

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
    <span
      className={changed && side === 'before' ? 'text-secondary' : undefined}
      style={{
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
        textDecoration: changed && side === 'before' && hasAfter ? 'line-through' : undefined,
        fontWeight: changed && side === 'after' ? 600 : undefined,
      }}
    >
      {show(v)}
    </span>
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {shown.length === 0 ? (
        <span className="text-secondary">{T.noChange}</span>
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
                <td style={td}><code>{r.key}</code></td>
                {hasBefore && <td style={td}>{cell(r.before, r.changed, 'before')}</td>}
                {hasBefore && hasAfter && <td style={{ ...td, textAlign: 'center' }}>→</td>}
                {hasAfter && <td style={td}>{cell(r.after, r.changed, 'after')}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <span className="text-secondary" style={{ fontSize: 12, fontFamily: 'monospace', wordBreak: 'break-all' }}>
        {T.prevHash}：{row.prevHash ?? '—'}
        <br />
        {T.hash}：{row.hash}
      </span>
    </Space>
  );
}

const th: CSSProperties = { textAlign: 'left', padding: '4px 8px', borderBottom: '1px solid rgba(5,5,5,0.12)', fontWeight: 500 };
const td: CSSProperties = { padding: '4px 8px', borderBottom: '1px solid rgba(5,5,5,0.06)', verticalAlign: 'top' };

const columns: Columns<AuditRow> = [
  { title: T.seq, dataIndex: 'seq', width: 80 },
  { title: T.at, dataIndex: 'at', width: 170, render: formatDateTime },
  { title: T.actor, dataIndex: 'actorName', width: 180, ellipsis: true, render: (v: string | null) => v ?? T.system },
  { title: T.ip, dataIndex: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
  {
    title: T.action,
    dataIndex: 'action',
    width: 120,
    render: (v: string) => <span title={v}>{label(ACTION_LABELS, v)}</span>,
  },
  {
    title: T.entityType,
    dataIndex: 'entityType',
    width: 100,
    render: (v: string) => <span title={v}>{label(ENTITY_LABELS, v)}</span>,
  },
  {
    title: T.entityId,
    dataIndex: 'entityId',
    // Ids are long: one line with the copy icon kept visible, the whole id on hover.
    render: (v: string | null) => (v ? <CopyText text={v} /> : '—'),
  },
];

export default function AuditLogPage() {
  const showError = useApiError();
  const list = useList<AuditRow>('/api/audit-logs');
  const [verdict, setVerdict] = useState<VerifyResult | null>(null);

  const verify = useMutation({
    mutationFn: () => api.get<VerifyResult>('/api/audit-logs/verify'),
    onSuccess: setVerdict,
    onError: (e) => showError(e),
  });

  return (
    <ListPage
      list={list}
      columns={columns}
      exportPath="/api/audit-logs/export"
      exportLabel={T.export}
      actions={
        <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()}>
          {verify.isPending ? T.verifying : T.verify}
        </Button>
      }
      notice={
        verdict && (
          <Alert
            style={{ marginBottom: 12 }}
            showIcon
            closable={{ onClose: () => setVerdict(null) }}
            type={verdict.ok ? 'success' : 'error'}
            title={verdict.ok ? T.verifyOk(verdict.entries) : T.verifyBroken(verdict.brokenAt ?? '?')}
            description={verdict.ok ? undefined : [T.verifyEntries(verdict.entries), verdict.reason].filter(Boolean).join(' ')}
          />
        )
      }
      filters={[
        { kind: 'search', name: 'actor', label: T.actor, width: 180 },
        { kind: 'select', name: 'action', label: T.action, options: optionsOf(ACTION_LABELS), width: 140 },
        { kind: 'select', name: 'entityType', label: T.entityType, options: optionsOf(ENTITY_LABELS), width: 130 },
        { kind: 'search', name: 'entityId', label: T.entityId, width: 200 },
        { kind: 'dates', from: 'from', to: 'to', label: T.period, placeholder: T.dates },
      ]}
      table={{ rowKey: 'seq', expandable: { expandedRowRender: (r) => <Diff row={r} /> }, minWidth: 900 }}
    />
  );
}
