// One attempt for the grader: who, when, how often they left the page (切屏次数), the score so far, and
// every answer against the right one; the essays marked here, 0 to full in half points (exams:write).
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Drawer, Flex, InputNumber, Skeleton, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { useFeedback } from '../../components/feedback.js';
import { formatDateTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { useApiError } from '../../components/useApiError.js';
import { exams as xt } from '../../i18n/index.js';
import { ATTEMPT_STATUS } from '../../../../shared/schemas/study-labels.js';
import { PaperReview } from './PaperReview.js';
import { ATTEMPTS_KEY, score, type StaffAttempt } from './shared.js';
import './exams.css';

const a = xt.attempt;

export default function AttemptDrawer({ id, onClose, onMarked }: { id: string | null; onClose: () => void; onMarked: () => void }) {
  const can = useCan();
  const { message } = useFeedback();
  const showError = useApiError();
  const query = useQuery({
    queryKey: [ATTEMPTS_KEY, id],
    queryFn: () => api.get<StaffAttempt>(`${ATTEMPTS_KEY}/${id}`),
    enabled: Boolean(id),
  });
  const at = query.data;
  const [marks, setMarks] = useState<Record<string, number | null>>({});
  const [saving, setSaving] = useState(false);
  // The marks shown are the attempt's, whenever it (re)loads.
  useEffect(() => {
    if (!at) return;
    setMarks(Object.fromEntries(at.questions.filter((q) => q.type === 'essay').map((q) => [q.id, q.mark ?? null])));
  }, [at]);

  const markable = can('exams:write') && at !== undefined && at.status !== 'in_progress';
  const essays = at?.questions.filter((q) => q.type === 'essay') ?? [];

  const save = async () => {
    if (!at) return;
    const given = Object.fromEntries(Object.entries(marks).filter(([, v]) => v !== null && v !== undefined)) as Record<string, number>;
    if (!Object.keys(given).length) {
      message.warning(a.nothingToSave);
      return;
    }
    setSaving(true);
    try {
      const r = await api.post<{ status: string; score: number | null }>(`${ATTEMPTS_KEY}/${at.id}/marks`, { marks: given });
      message.success(r.status === 'graded' ? a.graded(score(r.score)) : a.partlyMarked);
      await query.refetch();
      onMarked();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  let body: ReactNode;
  if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!at) body = <Skeleton active paragraph={{ rows: 8 }} />;
  else
    body = (
      // Focusable, so the paper scrolls by keyboard even when nothing in it takes focus (a graded paper).
      <Flex vertical gap={12} tabIndex={0} role="region" aria-label={a.paper} className="attempt-body">
        <dl className="exam-facts">
          <dt>{a.person}</dt>
          <dd>
            {at.personName}（{at.orgUnitName}）
          </dd>
          <dt>{a.status}</dt>
          <dd>
            <Tag color={at.status === 'graded' ? 'green' : at.status === 'submitted' ? 'orange' : 'blue'}>{ATTEMPT_STATUS[at.status]}</Tag>
          </dd>
          <dt>{a.score}</dt>
          <dd data-testid="attempt-score">
            {at.status === 'graded' ? a.scoreOf(score(at.score), at.fullScore) : a.autoSoFar(score(at.autoScore))}
            {at.passed !== null ? <Tag color={at.passed ? 'green' : 'red'} style={{ marginLeft: 8 }}>{at.passed ? xt.common.passed : xt.common.failed}</Tag> : null}
          </dd>
          <dt>{a.tabSwitches}</dt>
          <dd>{at.tabSwitches ? <strong className="text-danger">{a.tabSwitchesN(at.tabSwitches)}</strong> : a.noTabSwitches}</dd>
          <dt>{a.started}</dt>
          <dd>{formatDateTime(at.startedAt)}</dd>
          <dt>{a.submitted}</dt>
          <dd>{formatDateTime(at.submittedAt)}</dd>
        </dl>
        {markable && essays.length ? <p className="notice info" style={{ margin: 0 }}>{a.markHelp}</p> : null}
        <PaperReview
          questions={at.questions}
          label={a.paper}
          markInput={
            markable
              ? (q) => (
                  <div className="exam-marking">
                    <label htmlFor={`mark-${q.id}`}>{a.markOf(q.no, q.points)}</label>
                    <InputNumber
                      id={`mark-${q.id}`}
                      min={0}
                      max={q.points}
                      step={0.5}
                      precision={1}
                      value={marks[q.id] ?? null}
                      onChange={(v) => setMarks((m) => ({ ...m, [q.id]: v === null ? null : Math.round(Number(v) * 2) / 2 }))}
                    />
                  </div>
                )
              : undefined
          }
        />
      </Flex>
    );

  return (
    <Drawer
      open={id !== null}
      title={at ? a.title(at.personName) : a.titleLoading}
      size={Math.min(760, window.innerWidth)}
      onClose={onClose}
      destroyOnHidden
      footer={
        markable && essays.length ? (
          <Flex justify="flex-end" gap={8}>
            <Button onClick={onClose}>{xt.common.close}</Button>
            <Button type="primary" loading={saving} onClick={() => void save()}>
              {a.saveMarks}
            </Button>
          </Flex>
        ) : null
      }
    >
      {body}
    </Drawer>
  );
}
