// Importing into the exams module: a question bank from the Excel template or a Word exam paper
// (.docx), or an offline exam's scores from its prefilled template. Like components/ImportModal (template,
// mode, dry run, upload, report) but with Word accepted where the bank takes it, the question's number
// beside the row in the report, and no mode choice where the server has only one (scores: any bad row,
// nothing written).
import { useState } from 'react';
import { Alert, Button, Checkbox, Flex, Modal, Radio, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, download, qs } from '../../api.js';
import { DataTable } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { useFeedback } from '../../components/feedback.js';
import { Figure } from '../../components/StatCards.js';
import { useApiError } from '../../components/useApiError.js';
import { common, imports, exams as xt } from '../../i18n/index.js';
import type { QuestionType } from '../../../../shared/schemas/study-labels.js';
import { QUESTION_TYPES } from '../../../../shared/schemas/study-labels.js';

const s = xt.importing;

interface Report {
  format?: 'xlsx' | 'docx';
  mode?: 'all' | 'good_rows';
  dryRun: boolean;
  totalRows: number;
  valid?: number;
  imported: number;
  skipped?: number;
  byType?: Record<QuestionType, number>;
  errors: { row: number; number?: string | null; field: string; message: string }[];
}

export default function ExamImportModal({ open, onClose, onImported, title, intro, templateLabel, templatePath, importPath, query, word, modes }: {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
  title: string;
  /** The first step: what the template holds. */
  intro: string;
  templateLabel: string;
  templatePath: string;
  importPath: string;
  query?: Record<string, string>;
  /** Word papers (.docx) accepted too. */
  word?: boolean;
  /** all / good_rows offered. */
  modes?: boolean;
}) {
  const { message } = useFeedback();
  const showError = useApiError();
  const [mode, setMode] = useState<'all' | 'good_rows'>('all');
  const [dryRun, setDryRun] = useState(true);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const accept = word ? /\.(xlsx|docx)$/i : /\.xlsx$/i;

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
      const r = await api.upload<Report>(`${importPath}${qs({ ...query, ...(modes ? { mode } : {}), dryRun: dryRun ? 1 : 0 })}`, form);
      setReport(r);
      if (r.imported > 0 && !r.dryRun) {
        message.success(s.imported(r.imported));
        onImported();
      }
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const badRows = report ? new Set(report.errors.map((e) => e.row)).size : 0;
  const good = report ? (report.valid ?? report.totalRows - badRows) : 0;
  const byType = report?.byType ? Object.entries(report.byType).filter(([, n]) => n > 0) : [];

  return (
    <Modal open={open} title={title} onCancel={close} footer={<Button onClick={close}>{common.close}</Button>} width={800} destroyOnHidden>
      <Flex vertical gap={12}>
        <Typography.Text>{intro}</Typography.Text>
        <div>
          <Button icon={<DownloadOutlined />} onClick={() => download(templatePath)}>
            {templateLabel}
          </Button>
        </div>
        {modes ? (
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} style={{ width: '100%' }} aria-label={s.mode}>
            <Flex vertical gap={8}>
              <Radio value="all">
                <strong>{imports.modeAll}</strong>
                <div className="text-secondary">{s.modeAllHelp}</div>
              </Radio>
              <Radio value="good_rows">
                <strong>{imports.modeGood}</strong>
                <div className="text-secondary">{s.modeGoodHelp}</div>
              </Radio>
            </Flex>
          </Radio.Group>
        ) : (
          <Typography.Text type="secondary">{s.allOrNothing}</Typography.Text>
        )}
        <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
          {imports.dryRun}
        </Checkbox>
        <Flex gap={8} vertical align="flex-start">
          <Upload
            accept={word ? '.xlsx,.docx' : '.xlsx'}
            maxCount={1}
            fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
            beforeUpload={(f) => {
              if (!accept.test(f.name)) {
                message.error(word ? s.onlyXlsxDocx : imports.onlyXlsx);
                return Upload.LIST_IGNORE;
              }
              setFile(f);
              setReport(null);
              return false; // sent with the chosen mode on 上传
            }}
            onRemove={() => setFile(null)}
          >
            <Button icon={<UploadOutlined />}>{word ? s.chooseFile : imports.chooseFile}</Button>
          </Upload>
          <Button type="primary" disabled={!file} loading={busy} onClick={() => void upload()}>
            {dryRun ? s.check : imports.upload}
          </Button>
        </Flex>
        {report ? (
          <section aria-label={imports.report} data-testid="import-report">
            <Typography.Title level={5} style={{ margin: '8px 0' }}>
              {imports.report}
              {report.format ? `（${report.format === 'docx' ? s.word : s.excel}）` : ''}
              {report.dryRun ? `：${imports.dryRunDone}` : ''}
            </Typography.Title>
            <Flex gap={12} wrap>
              <div style={{ flex: '1 1 140px' }}>
                <Figure title={word ? s.totalQuestions : imports.totalRows} value={report.totalRows} />
              </div>
              <div style={{ flex: '1 1 140px' }}>
                <Figure title={s.good} value={good} />
              </div>
              <div style={{ flex: '1 1 140px' }}>
                <Figure title={s.bad} value={badRows} />
              </div>
              {report.dryRun ? null : (
                <div style={{ flex: '1 1 140px' }}>
                  <Figure title={imports.imported} value={report.imported} />
                </div>
              )}
            </Flex>
            {byType.length ? (
              <p className="text-secondary" style={{ margin: '8px 0 0' }}>
                {s.byType(byType.map(([t, n]) => `${QUESTION_TYPES[t as QuestionType]} ${n}`).join('，'))}
              </p>
            ) : null}
            {report.errors.length ? (
              <div style={{ marginTop: 12 }}>
                {(report.mode ?? 'all') === 'all' && !report.dryRun ? <Alert type="error" showIcon title={imports.allRejected} style={{ marginBottom: 8 }} /> : null}
                <div className="exam-import-errors">
                  <DataTable<Report['errors'][number]>
                    size="small"
                    caption={s.errors}
                    rowKey={(r) => `${r.row}-${r.field}-${r.message}`}
                    dataSource={report.errors}
                    columns={[
                      { title: word ? s.rowOrNumber : imports.row, dataIndex: 'row', width: 120, render: (v: number, r) => (r.number ? s.numbered(r.number) : report.format === 'docx' ? s.nth(v) : s.rowN(v)) },
                      { title: imports.field, dataIndex: 'field', width: 120 },
                      { title: imports.message, dataIndex: 'message' },
                    ]}
                  />
                </div>
              </div>
            ) : (
              <Alert type="success" showIcon title={imports.noErrors} style={{ marginTop: 12 }} />
            )}
          </section>
        ) : null}
      </Flex>
    </Modal>
  );
}
