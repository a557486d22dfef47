// One exam in a drawer (考试管理 ?id=): what it is (topic, kind, time, paper, who takes it), its figures
// in the viewer's scope, and two views. 答卷与成绩: the results by status and unit, paged, exported to
// Excel, each attempt opened to read its answers against the right ones and mark the essays (with
// 切屏次数 shown). 参考人员: everyone expected, with who has not sat it yet; for a paper exam taken
// offline, where the scores are typed in (or imported from the template prefilled with the people
// expected; 改分 and someone outside the list through the score form). The attempt drawer, the people
// list and the score forms load when first opened. 修改 (exams:write) opens the exam's form on it; 撤销考试
// only while nobody has started (the server refuses after).
import { lazy, useEffect, useState, type ReactNode } from 'react';
import { Button, Col, Drawer, Flex, Row, Skeleton, Tag } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, download } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { useFeedback } from '../../components/feedback.js';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { Pager } from '../../components/Pager.js';
import { Figure } from '../../components/StatCards.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useOrgUnits } from '../../components/useOrgUnits.js';
import { exams as xt } from '../../i18n/index.js';
import { ATTEMPT_STATUS, DIFFICULTIES } from '../../../../shared/schemas/study-labels.js';
import { EXAMS_KEY, score, type ExamDetail, type ResultRow } from './shared.js';
import './exams.css';

const d = xt.detail;
const AttemptDrawer = lazy(() => import('./AttemptDrawer.js'));
const ScoresModal = lazy(() => import('./ScoresModal.js'));
const ExamImportModal = lazy(() => import('./ExamImportModal.js'));
const ExpectedPanel = lazy(() => import('./ExpectedPanel.js'));
const ExamFormDrawer = lazy(() => import('./ExamForm.js'));

const viewTabs = [
  { value: '', label: d.results },
  { value: 'expected', label: d.expectedTitle },
];
const statusTabs = [{ value: '', label: d.allStatus }, ...Object.entries(ATTEMPT_STATUS).map(([value, label]) => ({ value, label }))];

export default function ExamDetailDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const can = useCan();
  const invalidate = useInvalidate();
  const { message } = useFeedback();
  const showError = useApiError();
  const query = useQuery({
    queryKey: [EXAMS_KEY, 'detail', id],
    queryFn: () => api.get<ExamDetail>(`${EXAMS_KEY}/${id}`),
    enabled: Boolean(id),
  });
  const exam = query.data;
  const [filters, setFilters] = useState<{ status?: string; orgUnitId?: string }>({});
  const [attemptId, setAttemptId] = useState<string | null>(null);
  const [scores, setScores] = useState<{ personId: string; label: string; score: number | null }[] | null>(null);
  const [importing, setImporting] = useState(false);
  const [view, setView] = useState<'' | 'expected'>('');
  const [editing, setEditing] = useState(false);
  // Another exam: its own filters, nothing of the last one open.
  useEffect(() => {
    setView('');
    setEditing(false);
    setFilters({});
    setAttemptId(null);
    setScores(null);
  }, [id]);

  const resultsKey = `${EXAMS_KEY}/${id}/results`;
  const results = useList<ResultRow>(resultsKey, {
    filters,
    onFiltersChange: (next) => setFilters({ status: next.status as string | undefined, orgUnitId: next.orgUnitId as string | undefined }),
    enabled: Boolean(id),
  });
  const reload = () => {
    onChanged();
    return invalidate(`${EXAMS_KEY}/${id}`, EXAMS_KEY);
  };
  const refresh = () => void reload();
  // Closed first: the list's refresh then leaves the withdrawn exam's own queries alone (no 404 asked for).
  const withdraw = async () => {
    try {
      await api.del(`${EXAMS_KEY}/${id}`);
    } catch (err) {
      showError(err);
      // Someone may have started meanwhile: show the exam as it is now (the button goes).
      void query.refetch();
      throw err;
    }
    message.success(d.withdrawn);
    onClose();
    onChanged();
  };

  const write = can('exams:write');
  const online = exam?.kind === 'online_objective';
  const columns: Columns<ResultRow> = [
    { title: d.name, dataIndex: 'name', width: 90 },
    { title: d.policeNo, dataIndex: 'policeNo', width: 90, render: (v: string | null) => v ?? xt.common.none },
    { title: d.unit, dataIndex: 'orgUnitName', ellipsis: true },
    {
      title: d.status,
      dataIndex: 'status',
      width: 84,
      render: (v: ResultRow['status']) => <Tag color={v === 'graded' ? 'green' : v === 'submitted' ? 'orange' : 'blue'}>{ATTEMPT_STATUS[v]}</Tag>,
    },
    {
      title: d.score,
      dataIndex: 'score',
      width: 96,
      align: 'right',
      render: (v: number | null, r) => (v === null ? <span className="text-secondary">{r.status === 'submitted' ? d.auto(score(r.autoScore)) : xt.common.none}</span> : v),
    },
    {
      title: d.passed,
      dataIndex: 'passed',
      width: 72,
      render: (v: boolean | null) => (v === null ? xt.common.none : v ? xt.common.passed : <span className="text-danger">{xt.common.failed}</span>),
    },
    ...(online
      ? [{ title: d.tabSwitches, dataIndex: 'tabSwitches' as const, width: 72, align: 'right' as const, render: (v: number) => (v ? <span className="text-danger">{v}</span> : v) }]
      : []),
    { title: d.submittedAt, dataIndex: 'submittedAt', width: 140, render: (v: string | null) => formatTime(v) },
    {
      title: d.actions,
      key: 'actions',
      width: 84,
      render: (_: unknown, r) =>
        online ? (
          <button type="button" className="link-action" aria-label={d.actionOf(r.status === 'submitted' && write ? d.mark : d.openAttempt, r.name)} onClick={() => setAttemptId(r.id)}>
            {r.status === 'submitted' && write ? d.mark : d.openAttempt}
          </button>
        ) : write ? (
          <button type="button" className="link-action" aria-label={d.actionOf(d.changeScore, r.name)} onClick={() => setScores([{ personId: r.personId, label: `${r.name}（${r.orgUnitName}）`, score: r.score }])}>
            {d.changeScore}
          </button>
        ) : null,
    },
  ];

  const defs: FilterDef[] = [
    ...(online ? [{ kind: 'tabs' as const, name: 'status', label: d.status, options: statusTabs }] : []),
    { kind: 'unit', name: 'orgUnitId', label: d.unit, width: 220 },
  ];

  let body: ReactNode;
  if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!exam) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else
    body = (
      <Flex vertical gap={16}>
        <Facts exam={exam} />
        <Row gutter={[12, 12]} data-testid="exam-figures">
          {(
            [
              [d.expected, exam.expectedCount],
              [d.attempts, exam.attempts],
              [d.submitted, exam.submitted],
              [d.awaiting, exam.awaitingMarks],
              [d.graded, exam.graded],
              [d.passedCount, exam.passed],
              [d.average, score(exam.average)],
            ] as const
          ).map(([title, value]) => (
            <Col key={title} xs={12} sm={8} md={6} xl={3}>
              <Figure title={title} value={value} />
            </Col>
          ))}
        </Row>
        {/* A box of its own: the column would stretch the segments across the drawer. */}
        <div>
          <FilterBar
            defs={[{ kind: 'tabs', name: 'view', label: d.view, options: viewTabs }]}
            filters={view ? { view } : {}}
            onChange={(p) => setView(p.view === 'expected' ? 'expected' : '')}
            onReset={() => setView('')}
          />
        </div>
        <section aria-labelledby="exam-results-title" hidden={view !== ''}>
          <div className="panel-title">
            <h2 id="exam-results-title">{d.results}</h2>
            <Flex gap={8} wrap>
              {!online && write ? (
                <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                  {d.importScores}
                </Button>
              ) : null}
              <Button icon={<DownloadOutlined />} onClick={() => download(`${EXAMS_KEY}/${exam.id}/results/export`)}>
                {d.export}
              </Button>
            </Flex>
          </div>
          <FilterBar defs={defs} filters={results.filters} onChange={results.setFilters} onReset={() => setFilters({})} />
          <DataTable<ResultRow> size="small" caption={d.resultsTable} minWidth={820} {...results.tableProps} sort={undefined} onSort={undefined} columns={columns} emptyText={results.tableProps.emptyText ?? (online ? d.noAttempts : d.noScores)} />
          <Pager {...results.pager} />
        </section>
        {/* Stays mounted once opened (hidden, not gone), so scores typed in survive a look at the results. */}
        <OnDemand open={view === 'expected'}>
          <div hidden={view !== 'expected'}>
            <ExpectedPanel key={exam.id} exam={exam} write={write} onOpenAttempt={setAttemptId} onEnterOther={() => setScores([])} onSaved={reload} />
          </div>
        </OnDemand>
      </Flex>
    );

  return (
    <Drawer
      open={id !== null}
      title={exam ? exam.title : d.title}
      size={Math.min(1040, window.innerWidth)}
      onClose={onClose}
      destroyOnHidden
      extra={
        exam && write ? (
          <Flex gap={8} align="center">
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {d.edit}
            </Button>
            {!exam.started ? (
              <ConfirmButton variant="button" danger icon={<DeleteOutlined aria-hidden />} title={d.withdrawConfirm} description={d.withdrawHelp} okText={d.withdraw} onConfirm={withdraw}>
                {d.withdraw}
              </ConfirmButton>
            ) : null}
          </Flex>
        ) : null
      }
    >
      {body}
      <OnDemand open={editing}>
        {exam ? (
          <ExamFormDrawer
            open={editing}
            exam={exam}
            topics={[{ id: exam.topicId, title: exam.topicTitle ?? '' }]}
            onClose={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              refresh();
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={attemptId !== null}>
        <AttemptDrawer id={attemptId} onClose={() => setAttemptId(null)} onMarked={refresh} />
      </OnDemand>
      <OnDemand open={scores !== null}>
        {exam ? (
          <ScoresModal
            open={scores !== null}
            examId={exam.id}
            fullScore={exam.fullScore}
            rows={scores ?? []}
            onClose={() => setScores(null)}
            onSaved={() => {
              setScores(null);
              refresh();
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={importing}>
        {exam ? (
          <ExamImportModal
            open={importing}
            onClose={() => setImporting(false)}
            onImported={refresh}
            title={d.importTitle}
            intro={d.importIntro}
            templateLabel={d.scoresTemplate}
            templatePath={`${EXAMS_KEY}/${exam.id}/scores/template`}
            importPath={`${EXAMS_KEY}/${exam.id}/scores/import`}
          />
        ) : null}
      </OnDemand>
    </Drawer>
  );
}

function Facts({ exam }: { exam: ExamDetail }) {
  const { data: units = [] } = useOrgUnits();
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id;
  const online = exam.kind === 'online_objective';
  return (
    <dl className="exam-facts exam-detail-facts">
      <dt>{d.topic}</dt>
      <dd>{exam.topicTitle}</dd>
      <dt>{d.kind}</dt>
      <dd>{exam.kindLabel}</dd>
      <dt>{d.time}</dt>
      <dd>
        {formatTime(exam.opensAt)} {xt.list.till} {formatTime(exam.closesAt)}
      </dd>
      {online ? (
        <>
          <dt>{d.duration}</dt>
          <dd>{d.minutes(exam.durationMinutes ?? 0)}</dd>
        </>
      ) : null}
      <dt>{d.fullPass}</dt>
      <dd>
        {exam.fullScore} / {exam.passScore}
      </dd>
      {online ? (
        <>
          <dt>{d.paper}</dt>
          <dd>
            {exam.paperModeLabel}
            {exam.shuffleQuestions ? `，${d.shuffleQuestions}` : ''}
            {exam.shuffleOptions ? `，${d.shuffleOptions}` : ''}
            {exam.paperMode === 'random' ? (
              <ul className="plain-list">
                {exam.rules.map((r, i) => (
                  <li key={i}>{d.rule(r.typeLabel, r.difficulty ? DIFFICULTIES[r.difficulty as 1 | 2 | 3] : null, r.count, r.points)}</li>
                ))}
              </ul>
            ) : (
              <ol className="exam-detail-questions">
                {exam.questions.map((q) => (
                  <li key={q.id}>
                    ［{q.typeLabel}］{q.stem}（{xt.common.points(q.points)}）
                  </li>
                ))}
              </ol>
            )}
          </dd>
        </>
      ) : null}
      <dt>{d.targets}</dt>
      <dd>
        {exam.targetUnitIds.map(unitName).join('、') || xt.common.none}
        {exam.targetPersonCount ? d.targetPeople(exam.targetPersonCount) : ''}
      </dd>
    </dl>
  );
}
