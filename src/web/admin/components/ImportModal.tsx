// The Excel import every module shares: template download, mode choice (all rows or only the good
// ones, or a dry run), .xlsx (or .csv) upload, and the server's row-by-row report. A module gives its
// title, what one row is, the template and import endpoints and any fixed query (the ledger's campaign).
import { useState, type ReactNode } from 'react';
import { Alert, Button, Checkbox, Col, Flex, Modal, Radio, Row, Statistic, Table, Typography, Upload } from 'antd';
import { useFeedback } from './feedback.js';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, download, qs } from '../api.js';
import { common, imports as s } from '../i18n/index.js';
import { useApiError } from './useApiError.js';

/** What every import endpoint answers. */
export interface ImportReport {
  mode: 'all' | 'good_rows';
  dryRun: boolean;
  totalRows: number;
  imported: number;
  skipped: number;
  errors: { row: number; field: string; message: string }[];
  /** Every problem found, when the server lists only the first of them in `errors`. */
  errorCount?: number;
}

export interface ImportModalProps {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
  title: string;
  /** What one row of the sheet is, for the first step: 名干警, 项整治事项. */
  rowIs: string;
  templatePath: string;
  importPath: string;
  /** Fixed query parameters of the import (mode and dryRun are added). */
  query?: Record<string, string>;
  /** A .csv file is taken too (registers exported from other systems). */
  csv?: boolean;
  /** Above the steps: what the import does (a new snapshot, say). */
  intro?: ReactNode;
}

const XLSX = '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export default function ImportModal({ open, onClose, onImported, title, rowIs, templatePath, importPath, query, csv, intro }: ImportModalProps) {
  const { message } = useFeedback();
  const showError = useApiError();
  const [mode, setMode] = useState<'all' | 'good_rows'>('all');
  const [dryRun, setDryRun] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);

  // A dry run imports nothing; what it tells is how many rows are fine and how many are not.
  const badRows = report ? new Set(report.errors.map((e) => e.row)).size : 0;

  const close = () => {
    setFile(null);
    setReport(null);
    onClose();
  };

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setReport(null);
    try {
      const form = new FormData();
      form.append('file', file);
      const r = await api.upload<ImportReport>(`${importPath}${qs({ ...query, mode, dryRun: dryRun ? 1 : 0 })}`, form);
      setReport(r);
      if (r.imported > 0 && !r.dryRun) {
        message.success(s.importedCount(r.imported));
        onImported();
      }
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={title} onCancel={close} footer={<Button onClick={close}>{common.close}</Button>} width={760} destroyOnHidden>
      <Flex vertical gap={12}>
        {intro}
        <Typography.Text>{s.step1(rowIs)}</Typography.Text>
        <div>
          <Button icon={<DownloadOutlined />} onClick={() => download(templatePath)}>
            {s.downloadTemplate}
          </Button>
        </div>
        <Typography.Text>{csv ? s.step2Csv : s.step2}</Typography.Text>
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} style={{ width: '100%' }}>
          <Flex vertical gap={8}>
            <Radio value="all">
              <strong>{s.modeAll}</strong>
              <div style={{ color: 'rgba(0,0,0,0.55)' }}>{s.modeAllHelp}</div>
            </Radio>
            <Radio value="good_rows">
              <strong>{s.modeGood}</strong>
              <div style={{ color: 'rgba(0,0,0,0.55)' }}>{s.modeGoodHelp}</div>
            </Radio>
          </Flex>
        </Radio.Group>
        <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
          {s.dryRun}
        </Checkbox>
        <Flex gap={8} vertical align="flex-start">
          <Upload
            accept={csv ? `${XLSX},.csv,text/csv` : XLSX}
            maxCount={1}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
            beforeUpload={(f) => {
              if (!(csv ? /\.(xlsx|csv)$/i : /\.xlsx$/i).test(f.name)) {
                message.error(csv ? s.onlyXlsxCsv : s.onlyXlsx);
                return Upload.LIST_IGNORE;
              }
              setFile(f);
              setReport(null);
              return false; // keep it here; sent with the chosen mode on 上传
            }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />}>{csv ? s.chooseFileCsv : s.chooseFile}</Button>
          </Upload>
          <Button type="primary" disabled={!file} loading={busy} onClick={() => void upload()}>
            {dryRun ? s.dryRun : s.upload}
          </Button>
        </Flex>
        {report ? (
          <>
            <Typography.Title level={5} style={{ margin: '8px 0 0' }}>
              {s.report}
              {report.dryRun ? `（${s.dryRunDone}）` : ''}
            </Typography.Title>
            <Row gutter={16}>
              <Col span={8}>
                <Statistic title={s.totalRows} value={report.totalRows} />
              </Col>
              {report.dryRun ? (
                <>
                  <Col span={8}>
                    <Statistic title={s.goodRows} value={report.totalRows - badRows} styles={{ content: { color: '#237804' } }} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={s.badRows} value={badRows} styles={{ content: { color: badRows ? '#cf1322' : undefined } }} />
                  </Col>
                </>
              ) : (
                <>
                  <Col span={8}>
                    <Statistic title={s.imported} value={report.imported} styles={{ content: { color: '#237804' } }} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={s.skipped} value={report.skipped} styles={{ content: { color: report.skipped ? '#cf1322' : undefined } }} />
                  </Col>
                </>
              )}
            </Row>
            {report.errors.length ? (
              <>
                {report.mode === 'all' && !report.dryRun ? <Alert type="error" showIcon title={s.allRejected} /> : null}
                {report.errorCount && report.errorCount > report.errors.length ? (
                  <Typography.Text type="secondary">{s.firstErrors(report.errorCount, report.errors.length)}</Typography.Text>
                ) : null}
                <Table
                  size="small"
                  rowKey={(r) => `${r.row}-${r.field}-${r.message}`}
                  dataSource={report.errors}
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  columns={[
                    { title: s.row, dataIndex: 'row', width: 80 },
                    { title: s.field, dataIndex: 'field', width: 140 },
                    { title: s.message, dataIndex: 'message' },
                  ]}
                />
              </>
            ) : (
              <Alert type="success" showIcon title={s.noErrors} />
            )}
          </>
        ) : null}
      </Flex>
    </Modal>
  );
}
