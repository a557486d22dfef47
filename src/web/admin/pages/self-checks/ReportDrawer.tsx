// One report version in a drawer: the officer's own earlier versions, or (整顿办, `review`) someone's
// signed report with the 审核 form under it. Reading another person's report is audited by the server.
import { Alert, Form, Input, Skeleton } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { useInvalidate } from '../../components/useList.js';
import { selfChecks as sc } from '../../i18n/index.js';
import { ReportView } from './ReportView.js';
import { REPORTS_KEY, type Report } from './shared.js';

const v = sc.review;

export default function ReportDrawer({ id, onClose, review }: { id: string | null; onClose: () => void; review?: boolean }) {
  const invalidate = useInvalidate();
  const query = useQuery({ queryKey: [REPORTS_KEY, 'detail', id], queryFn: () => api.get<Report>(`${REPORTS_KEY}/${id}`), enabled: Boolean(id) });
  const report = query.data;
  const reviewable = Boolean(review && report?.status === 'signed');
  const title = !report
    ? v.loadingTitle
    : report.personName
      ? v.title(report.personName, report.version)
      : sc.mine.viewing(report.version);

  return (
    <FormDrawer<{ note: string }>
      name="selfcheck-review"
      open={id !== null}
      title={title}
      width={Math.min(880, window.innerWidth)}
      onClose={onClose}
      readOnly={!reviewable}
      okText={v.submit}
      savedMessage={v.done}
      onSubmit={(values) => api.post(`${REPORTS_KEY}/${id}/review`, { note: values.note.trim() })}
      onSaved={() => {
        void invalidate(REPORTS_KEY);
        onClose();
      }}
    >
      {query.isError ? (
        <LoadFailed error={query.error} onRetry={() => void query.refetch()} />
      ) : !report ? (
        <Skeleton active />
      ) : (
        <div className="stack">
          {report.personName ? <Alert type="info" showIcon title={v.audited} /> : null}
          <ReportView report={report} level={2} />
          {reviewable ? (
            // Mounted with the report: its first value is the note already given, if any.
            <Form.Item
              name="note"
              label={v.note}
              initialValue={report.reviewNote ?? undefined}
              rules={[{ required: true, whitespace: true, min: 2, message: v.noteRequired }]}
            >
              <Input.TextArea rows={3} maxLength={500} showCount />
            </Form.Item>
          ) : null}
        </div>
      )}
    </FormDrawer>
  );
}
