// Pieces the 开门纳谏 pages share: API shapes, status tags, category labels, the one-time receipt.
import { useCallback } from 'react';
import { createPortal } from 'react-dom';
import { Alert, Button, Flex, Modal, Table, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { CHANNELS, OPINION_STATUS, type OpinionStatus } from '../../../../shared/schemas/opinions.js';
import { ApiError } from '../../api.js';
import { useApiError } from '../../components/useApiError.js';
import { useDicts } from '../../components/useDicts.js';
import { ot } from './i18n.js';

export const OPINIONS_KEY = '/api/opinions';
export const OPINION_STATS_KEY = '/api/opinions/stats';
export const CATEGORY_DICT = 'opinion_category';

export interface OpinionRow {
  id: string;
  publicNo: string;
  channel: string;
  category: string | null;
  suggestedCategory: string | null;
  suggestedConfidence: number | null;
  excerpt: string;
  identity: 'named' | 'anonymous';
  status: OpinionStatus;
  assignedUnitId: string | null;
  assignedUnitName: string | null;
  deadlineAt: string | null;
  overdue: boolean;
  submittedAt: string;
  repliedAt: string | null;
  rating: number | null;
  mergedIntoId: string | null;
  adopted?: ('ledger' | 'project')[];
}

export interface DuplicateRow {
  id: string;
  publicNo: string;
  excerpt: string;
  status: OpinionStatus;
  submittedAt: string;
  distance: number;
}

export interface OpinionDetail extends OpinionRow {
  content: string;
  reply: string | null;
  rejectReason: string | null;
  ratingComment: string | null;
  ratedAt: string | null;
  location: { text: string | null; lat: number | null; lon: number | null } | null;
  wantsContact: boolean;
  canSeeIdentity: boolean;
  attachments: { id: string; name: string; mime: string; size: number }[];
  events: { at: string; kind: string; public: boolean; publicText: string | null; detail: any; actorName: string | null }[];
  adoptions: { id: string; target: 'ledger' | 'project'; title: string; note: string | null; status: string; targetRef: string | null; createdAt: string }[];
  mergedFrom: { id: string; publicNo: string }[];
  suggestion: { category: string; confidence: number; ranking: { category: string; p: number }[] } | null;
  duplicates: DuplicateRow[];
}

export interface Receipt {
  publicNo: string;
  receiptCode: string;
}

const STATUS_COLOR: Record<string, string> = {
  received: 'blue',
  assigned: 'gold',
  replied: 'green',
  rejected: 'default',
  merged: 'purple',
};

export function StatusTag({ status, overdue }: { status: string; overdue?: boolean }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Tag color={STATUS_COLOR[status] ?? 'default'}>{OPINION_STATUS[status as OpinionStatus] ?? status}</Tag>
      {overdue ? <Tag color="red">{ot.common.overdue}</Tag> : null}
    </span>
  );
}

export const statusOptions = Object.entries(OPINION_STATUS).map(([value, label]) => ({ value, label }));
export const channelOptions = Object.entries(CHANNELS).map(([value, label]) => ({ value, label }));
export const channelLabel = (c: string) => CHANNELS[c as keyof typeof CHANNELS] ?? c;

/** Similarity shown to people: 1 − Hamming distance / 64 bits of the SimHash. */
export const similarity = (distance: number) => `${Math.round((1 - distance / 64) * 100)}%`;

/** Category label and options from the dictionary (12 categories). */
export function useCategories() {
  const { label, options, loading } = useDicts();
  return {
    categoryLabel: useCallback((code: string | null | undefined) => (code ? label(CATEGORY_DICT, code) : ot.common.unsorted), [label]),
    categoryOptions: options(CATEGORY_DICT),
    loading,
  };
}

/**
 * Like useApiError, and also puts errors on fields inside lists (the server names them
 * 'opinions.0.content'): those land on the row's field, the message shows as a toast too.
 */
export function useFormError() {
  const showError = useApiError();
  return useCallback(
    (err: unknown, form: FormInstance) => {
      if (err instanceof ApiError) {
        const issues = err.details?.length ? err.details : err.field ? [{ field: err.field, message: err.message }] : [];
        const nested = issues
          .filter((i) => i.field.includes('.'))
          .map((i) => ({ name: i.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [i.message] }));
        if (nested.length) {
          form.setFields(nested);
          form.scrollToField(nested[0]!.name);
          showError(err);
          return;
        }
      }
      showError(err, form);
    },
    [showError],
  );
}

/** After any change to an opinion: every list, every detail and the statistics ask again. */
export function useInvalidateOpinions() {
  const qc = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: [OPINIONS_KEY] }),
        qc.invalidateQueries({ queryKey: [OPINION_STATS_KEY] }),
        qc.invalidateQueries({ queryKey: ['/api/symposiums'] }),
      ]),
    [qc],
  );
}

// Only the receipt slip is printed: it sits directly under <body> (a portal), and on paper every
// other child of <body> (the app, the modal) is left out.
const PRINT_CSS = `
.opinion-receipt-print { display: none; }
@media print {
  body > *:not(.opinion-receipt-print) { display: none !important; }
  .opinion-receipt-print { display: block; padding: 24px; font-size: 14pt; color: #000; }
  .opinion-receipt-print .code { font-family: monospace; font-size: 20pt; letter-spacing: 2px; }
  .opinion-receipt-print section { border: 1px dashed #000; padding: 12px 16px; margin-bottom: 16px; page-break-inside: avoid; }
}`;

/**
 * The receipt codes of newly entered opinions, shown exactly once (the server never gives them again),
 * with a printable slip for the citizen.
 */
export function ReceiptModal({
  receipts,
  title,
  date,
  onClose,
  okText,
}: {
  receipts: Receipt[] | null;
  title?: string;
  /** 收到日期 printed on the slip. */
  date?: string;
  onClose: () => void;
  okText?: string;
}) {
  const open = Boolean(receipts?.length);
  return (
    <>
      <style>{PRINT_CSS}</style>
      <Modal
        open={open}
        title={title ?? ot.entry.receiptTitle}
        onCancel={onClose}
        mask={{ closable: false }}
        keyboard={false}
        destroyOnHidden
        width={560}
        footer={
          <Flex justify="flex-end" gap={8}>
            <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
              {ot.common.print}
            </Button>
            <Button type="primary" onClick={onClose}>
              {okText ?? ot.common.gotIt}
            </Button>
          </Flex>
        }
      >
        <Alert type="warning" showIcon title={ot.common.receiptOnce} style={{ marginBottom: 16 }} />
        {receipts && receipts.length === 1 ? (
          <Flex vertical gap={8} data-testid="receipt">
            <div>
              <Typography.Text type="secondary">{ot.entry.publicNo}：</Typography.Text>
              <Typography.Text strong>{receipts[0]!.publicNo}</Typography.Text>
            </div>
            <div>
              <Typography.Text type="secondary">{ot.entry.receiptCode}：</Typography.Text>
              <Typography.Text
                code
                strong
                style={{ fontSize: 20, letterSpacing: 1 }}
                copyable={{ text: receipts[0]!.receiptCode, tooltips: [ot.common.copy, ot.common.copied] }}
                data-testid="receipt-code"
              >
                {receipts[0]!.receiptCode}
              </Typography.Text>
            </div>
          </Flex>
        ) : (
          <Table<Receipt>
            data-testid="receipt"
            size="small"
            rowKey="publicNo"
            pagination={false}
            dataSource={receipts ?? []}
            columns={[
              { title: ot.entry.publicNo, dataIndex: 'publicNo' },
              {
                title: ot.entry.receiptCode,
                dataIndex: 'receiptCode',
                render: (v: string) => (
                  <Typography.Text code copyable={{ text: v, tooltips: [ot.common.copy, ot.common.copied] }}>
                    {v}
                  </Typography.Text>
                ),
              },
            ]}
          />
        )}
      </Modal>
      {open
        ? createPortal(
            <div className="opinion-receipt-print" aria-hidden="true">
              {receipts!.map((r) => (
                <section key={r.publicNo}>
                  <h2 style={{ margin: '0 0 8px' }}>{ot.entry.receiptPrintTitle}</h2>
                  <p>
                    {ot.entry.publicNo}：{r.publicNo}
                  </p>
                  <p>
                    {ot.entry.receiptCode}：<span className="code">{r.receiptCode}</span>
                  </p>
                  {date ? <p>{ot.entry.receiptPrintDate(date)}</p> : null}
                  <p>{ot.entry.receiptPrintNote}</p>
                </section>
              ))}
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
