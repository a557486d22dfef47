// 专题与题库: a campaign's study topics on the left (each with its weights and pass mark, 新增 / 编辑),
// the chosen topic on the right in two views. 题库: its questions — by type, difficulty and 在用 /
// 已停用, paged — with 新增试题, 编辑, 停用 / 恢复, 导入 (the Excel template or a Word paper, with a dry
// run and the report per question) and 导出. 专题成绩: each person's weighted topic score. Campaign,
// topic, view and filters live in the URL; the forms and the 专题成绩 view load when first opened.
import { lazy, Suspense, useState } from 'react';
import { Button, Empty } from 'antd';
import { DownloadOutlined, EditOutlined, PlusOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { api, download, qs } from '../../api.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { useFeedback } from '../../components/feedback.js';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatDate } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useShownCampaign } from '../../components/useShownCampaign.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, exams as xt } from '../../i18n/index.js';
import { DIFFICULTIES, QUESTION_TYPES } from '../../../../shared/schemas/study-labels.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import { answerText, OPTION_KEYS, QUESTIONS_KEY, TOPICS_KEY, useTopics, type Question, type Topic } from './shared.js';
import './exams.css';

const t = xt.topics;
const forms = () => import('./TopicForms.js');
const TopicDrawer = lazy(() => forms().then((m) => ({ default: m.TopicDrawer })));
const QuestionDrawer = lazy(() => forms().then((m) => ({ default: m.QuestionDrawer })));
const ExamImportModal = lazy(() => import('./ExamImportModal.js'));
const TopicResults = lazy(() => import('./TopicResults.js'));

const URL_KEYS = ['campaignId', 'topicId', 'view', 'type', 'difficulty', 'status'] as const;
const viewTabs = [
  { value: '', label: t.viewBank },
  { value: 'results', label: t.viewResults },
];
const typeOptions = Object.entries(QUESTION_TYPES).map(([value, label]) => ({ value, label }));
const difficultyOptions = Object.entries(DIFFICULTIES).map(([value, label]) => ({ value, label }));
const statusTabs = [
  { value: '', label: t.active },
  { value: 'retired', label: t.retired },
];

export default function TopicsPage() {
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const url = useUrlFilters(URL_KEYS);
  const { filters, set: setUrl } = url;
  const [topicForm, setTopicForm] = useState<Topic | 'new' | null>(null);
  const [questionForm, setQuestionForm] = useState<Question | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const topics = useTopics(filters.campaignId);
  const { campaignId, defaultId } = useShownCampaign(filters.campaignId, topics.isPlaceholderData ? undefined : topics.data?.campaignId);
  const { data: campaigns = [] } = useCampaigns();
  const topicList = topics.data?.items ?? [];
  const topic = topicList.find((x) => x.id === filters.topicId) ?? topicList[0];
  const topicId = topic?.id;
  const results = filters.view === 'results';
  const view = results ? 'results' : '';

  const bankFilters = { type: filters.type, difficulty: filters.difficulty, status: filters.status };
  const list = useList<Question>(QUESTIONS_KEY, {
    filters: { ...bankFilters, topicId },
    onFiltersChange: (next) =>
      setUrl({ type: (next.type as string) ?? null, difficulty: next.difficulty === undefined ? null : String(next.difficulty), status: (next.status as string) ?? null }),
    enabled: Boolean(topicId) && !results,
  });

  const setStatus = async (q: Question, action: 'retire' | 'restore') => {
    try {
      await api.post(`${QUESTIONS_KEY}/${q.id}/${action}`);
      message.success(action === 'retire' ? t.retiredDone : t.restoredDone);
      void invalidate(QUESTIONS_KEY);
    } catch (err) {
      showError(err);
      throw err;
    }
  };

  const columns: Columns<Question> = [
    { title: t.type, dataIndex: 'typeLabel', width: 72 },
    { title: t.difficulty, dataIndex: 'difficultyLabel', width: 52 },
    { title: t.stem, dataIndex: 'stem', render: (v: string) => <div className="clamp-2" style={{ minWidth: 220 }} title={v}>{v}</div> },
    {
      title: t.answer,
      dataIndex: 'answer',
      width: 160,
      render: (v: unknown, q) => <div className="clamp-2">{answerText(q.type, v, q.options)}</div>,
    },
    {
      title: common.actions,
      key: 'actions',
      width: 120,
      render: (_: unknown, q) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <button type="button" className="link-action" aria-label={t.editOf(q.stem.slice(0, 20))} onClick={() => setQuestionForm(q)}>
            {common.edit}
          </button>
          {q.status === 'active' ? (
            <ConfirmButton danger title={t.retireConfirm} description={t.retireHelp} onConfirm={() => setStatus(q, 'retire')}>
              {t.retire}
            </ConfirmButton>
          ) : (
            <ConfirmButton title={t.restoreConfirm} onConfirm={() => setStatus(q, 'restore')}>
              {t.restore}
            </ConfirmButton>
          )}
        </span>
      ),
    },
  ];

  const defs: FilterDef[] = [
    { kind: 'tabs', name: 'status', label: t.status, options: statusTabs },
    { kind: 'select', name: 'type', label: t.type, options: typeOptions, width: 120 },
    { kind: 'select', name: 'difficulty', label: t.difficulty, options: difficultyOptions, width: 110 },
  ];
  const exportPath = `${QUESTIONS_KEY}/export${qs({ topicId, status: filters.status, type: filters.type })}`;

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <>
            <Button
              icon={<ReloadOutlined />}
              aria-label={common.refresh}
              title={common.refresh}
              loading={topics.isFetching || list.query.isFetching}
              onClick={() => void invalidate(TOPICS_KEY, QUESTIONS_KEY)}
            />
            {topicId && !results ? (
              <>
                <Button icon={<DownloadOutlined />} onClick={() => download(exportPath)}>
                  {t.export}
                </Button>
                <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                  {t.import}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setQuestionForm('new')}>
                  {t.addQuestion}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <div className="exam-topics">
        <section className="panel exam-topics-aside" aria-labelledby="topics-title">
          <div className="panel-title">
            <h2 id="topics-title">{t.topics}</h2>
            {campaignId ? (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setTopicForm('new')}>
                {t.addTopic}
              </Button>
            ) : null}
          </div>
          <FilterBar
            defs={[campaignFilter(campaigns, defaultId)]}
            filters={filters.campaignId ? { campaignId: filters.campaignId } : {}}
            onChange={(p) => setUrl({ campaignId: p.campaignId === undefined ? null : String(p.campaignId), topicId: null })}
            onReset={() => setUrl({ campaignId: null, topicId: null })}
          />
          {topics.isError ? <LoadFailed error={topics.error} onRetry={() => void topics.refetch()} /> : null}
          {topics.isSuccess && !topicList.length ? (
            <Empty description={t.noTopics} />
          ) : (
            <ul className="dict-types exam-topic-list">
              {topicList.map((x) => (
                <li key={x.id} className={x.id === topicId ? 'selected' : undefined}>
                  <button type="button" className="dict-type" aria-current={x.id === topicId} onClick={() => setUrl({ topicId: x.id })}>
                    <span className="dict-type-name">{x.title}</span>
                    <span className="dict-type-code">
                      {t.weights(x.onlineWeight, x.offlineWeight, x.passScore)}
                      {x.startsOn || x.endsOn ? ` · ${formatDate(x.startsOn)} ${common.dateTill} ${formatDate(x.endsOn)}` : ''}
                    </span>
                  </button>
                  <button type="button" className="link-action" aria-label={t.editTopicOf(x.title)} title={t.editTopicOf(x.title)} onClick={() => setTopicForm(x)}>
                    <EditOutlined aria-hidden />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel exam-topics-main" aria-labelledby="bank-title">
          <div className="panel-title">
            <h2 id="bank-title">{topic ? (results ? t.resultsOf(topic.title) : t.bankOf(topic.title)) : t.bank}</h2>
            {topic ? (
              // FilterBar's segments, in the title bar: the bank's own 在用 / 已停用 tabs sit below.
              <fieldset className="segments" style={{ margin: 0 }}>
                <legend className="sr-only">{t.view}</legend>
                {viewTabs.map((o) => (
                  <label key={o.value} className={view === o.value ? 'segment checked' : 'segment'}>
                    <input type="radio" name="topic-view" value={o.value} checked={view === o.value} onChange={() => setUrl({ view: o.value || null })} />
                    {o.label}
                  </label>
                ))}
              </fieldset>
            ) : null}
          </div>
          {topic?.description && !results ? <p className="text-secondary" style={{ marginTop: 0 }}>{topic.description}</p> : null}
          {topic && results ? (
            <Suspense fallback={<p className="text-secondary">{common.loading}</p>}>
              <TopicResults key={topic.id} topic={topic} />
            </Suspense>
          ) : topicId ? (
            <>
              <FilterBar
                defs={defs}
                filters={Object.fromEntries(Object.entries(bankFilters).filter(([, v]) => v))}
                onChange={list.setFilters}
                onReset={() => list.setFilters({ type: undefined, difficulty: undefined })}
              />
              <DataTable<Question>
                caption={t.bankTable}
                minWidth={720}
                {...list.tableProps}
                sort={undefined}
                onSort={undefined}
                columns={columns}
                emptyText={list.tableProps.emptyText ?? (filters.status === 'retired' ? t.noRetired : t.noQuestions)}
                expandable={{
                  label: t.expand,
                  expandedRowRender: (q) => (
                    <div>
                      <p className="exam-pre" style={{ marginTop: 0 }}>{q.stem}</p>
                      {q.options.length ? (
                        <ul className="exam-review-options">
                          {q.options.map((o, i) => (
                            <li key={o.key}>
                              <span className="exam-option-letter">{OPTION_KEYS[i]}．</span>
                              {o.text}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                      <dl className="exam-facts">
                        <dt>{q.type === 'essay' ? xt.review.reference : xt.review.answer}</dt>
                        <dd className="exam-pre">{answerText(q.type, q.answer, q.options)}</dd>
                        <dt>{xt.review.explanation}</dt>
                        <dd className="exam-pre">{q.explanation || xt.common.none}</dd>
                      </dl>
                    </div>
                  ),
                }}
              />
              <Pager {...list.pager} />
            </>
          ) : (
            <p className="text-secondary">{topics.isSuccess ? t.chooseTopic : common.loading}</p>
          )}
        </section>
      </div>
      <OnDemand open={topicForm !== null}>
        {campaignId ? (
          <TopicDrawer
            open={topicForm !== null}
            campaignId={topicForm !== null && topicForm !== 'new' ? topicForm.campaignId : campaignId}
            topic={topicForm === 'new' ? null : topicForm}
            onClose={() => setTopicForm(null)}
            onSaved={(saved) => {
              setTopicForm(null);
              void invalidate(TOPICS_KEY);
              setUrl({ topicId: saved.id });
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={questionForm !== null}>
        {topicId ? (
          <QuestionDrawer
            open={questionForm !== null}
            topicId={questionForm !== null && questionForm !== 'new' ? questionForm.topicId : topicId}
            question={questionForm === 'new' ? null : questionForm}
            onClose={() => setQuestionForm(null)}
            onSaved={() => {
              setQuestionForm(null);
              void invalidate(QUESTIONS_KEY);
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={importing}>
        {topicId && topic ? (
          <ExamImportModal
            open={importing}
            onClose={() => setImporting(false)}
            onImported={() => void invalidate(QUESTIONS_KEY)}
            title={t.importTitle(topic.title)}
            intro={t.importIntro}
            templateLabel={t.template}
            templatePath={`${QUESTIONS_KEY}/template`}
            importPath={`${QUESTIONS_KEY}/import`}
            query={{ topicId }}
            word
            modes
          />
        ) : null}
      </OnDemand>
    </>
  );
}
