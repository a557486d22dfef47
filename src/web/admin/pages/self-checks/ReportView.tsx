// One self-check report as read back: every item with its answer (是 stands out, with what was
// declared), the free text, and the signature with its integrity check (the digest of the content as
// stored now against the one signed). Used for the officer's signed and earlier versions and for the
// office's review.
import { Tag } from 'antd';
import { DataTable } from '../../components/DataTable.js';
import { formatDateTime } from '../../components/format.js';
import { selfChecks as sc } from '../../i18n/index.js';
import type { Answer, Report } from './shared.js';
import '../../components/data-table.css';
import './self-checks.css';

const r = sc.report;

/** `level`: the headings' level where the view sits (under a page's h2, or alone in a drawer). */
export function ReportView({ report, level = 3 }: { report: Report; level?: 2 | 3 }) {
  const sig = report.signature;
  const H = `h${level}` as const;
  return (
    <div className="stack">
      <DataTable<Answer>
        size="small"
        caption={r.item}
        rowKey="categoryId"
        dataSource={report.answers}
        rowClassName={(a) => (a.answer === 'yes' ? 'selfcheck-yes' : '')}
        columns={[
          { title: r.code, dataIndex: 'code', width: 64 },
          { title: r.item, dataIndex: 'name' },
          {
            title: r.answer,
            dataIndex: 'answer',
            width: 88,
            render: (v: Answer['answer']) => (v === 'yes' ? <Tag color="red">{sc.common.yes}</Tag> : sc.common.no),
          },
          { title: r.description, dataIndex: 'description', render: (v: string | null) => <span className="pre-wrap">{v ?? sc.common.none}</span> },
        ]}
      />
      <section aria-labelledby={`${report.id}-free`}>
        <H id={`${report.id}-free`} className="selfcheck-heading">
          {r.freeText}
        </H>
        <p className="pre-wrap selfcheck-text">{report.freeText || r.noFreeText}</p>
      </section>
      {sig ? (
        <section aria-labelledby={`${report.id}-sig`}>
          <H id={`${report.id}-sig`} className="selfcheck-heading">
            {r.signature}
          </H>
          <dl className="selfcheck-facts" data-testid="signature">
            <dt>{r.signedName}</dt>
            <dd>{sig.name}</dd>
            <dt>{r.signedAt}</dt>
            <dd>{formatDateTime(sig.at)}</dd>
            <dt>{r.digest}</dt>
            <dd>
              <code className="selfcheck-digest">{sig.digest}</code>
            </dd>
            <dt>{r.integrity}</dt>
            <dd>
              {sig.intact ? (
                <Tag color="green">{r.intact}</Tag>
              ) : (
                <>
                  <Tag color="red">{r.broken}</Tag>
                  <span className="text-danger">{r.brokenHint}</span>
                </>
              )}
            </dd>
            {report.reviewedAt ? (
              <>
                <dt>{r.reviewedAt}</dt>
                <dd>{formatDateTime(report.reviewedAt)}</dd>
                <dt>{r.reviewNote}</dt>
                <dd className="pre-wrap">{report.reviewNote ?? sc.common.none}</dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : null}
    </div>
  );
}
