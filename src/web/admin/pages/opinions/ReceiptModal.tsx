// The receipt codes of newly entered opinions (意见编号 + 查询码), shown once, printable.
import { createPortal } from 'react-dom';
import { Alert, Button, Flex, Modal, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { DataTable } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { opinions as ot } from '../../i18n/index.js';
import type { Receipt } from './shared.js';

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
export default function ReceiptModal({
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
          <div data-testid="receipt">
          <DataTable<Receipt>
            size="small"
            caption={ot.entry.receiptTitle}
            rowKey="publicNo"
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
          </div>
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
