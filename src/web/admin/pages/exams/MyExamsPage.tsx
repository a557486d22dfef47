// 我的考试: the exams the officer is expected at — in progress, coming, over — each with their own
// status and score and the one thing to do now (开始答题, 继续答题, 查看成绩); and 错题本, the questions
// they got wrong in exams that have closed, with the right answer and its explanation.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Button, Empty, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useMe } from '../../auth/useMe.js';
import '../../components/data-table.css';
import { FilterBar } from '../../components/FilterBar.js';
import { formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { useList, type ListState } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, exams as xt } from '../../i18n/index.js';
import { answerText, MY_EXAMS_KEY, OPTION_KEYS, score, WRONG_KEY, type MyExam, type WrongAnswer } from './shared.js';
import './exams.css';

const t = xt.my;
const TAB_KEYS = ['tab'] as const;
const STATES = ['open', 'upcoming', 'closed'] as const;

export default function MyExamsPage() {
  const me = useMe();
  const url = useUrlFilters(TAB_KEYS);
  const tab = url.filters.tab === 'wrong' ? 'wrong' : '';
  const person = Boolean(me.user.personId);
  const exams = useQuery({
    queryKey: [MY_EXAMS_KEY],
    queryFn: () => api.get<{ items: MyExam[] }>(MY_EXAMS_KEY),
    enabled: person && tab === '',
  });
  const wrong = useList<WrongAnswer>(WRONG_KEY, { pageSize: 10, enabled: person && tab === 'wrong' });

  let body: ReactNode;
  if (!person) body = <p className="notice warning">{t.noPerson}</p>;
  else if (tab === 'wrong') body = <WrongBook list={wrong} />;
  else if (exams.isError) body = <LoadFailed error={exams.error} onRetry={() => void exams.refetch()} />;
  else if (!exams.data) body = <p className="text-secondary">{common.loading}</p>;
  else if (!exams.data.items.length) body = <Empty description={t.none} />;
  else
    body = (
      <div className="stack">
        {STATES.map((s) => {
          const items = exams.data.items.filter((e) => e.state === s);
          if (!items.length) return null;
          return (
            <section key={s} className="panel" aria-labelledby={`my-exams-${s}`}>
              <div className="panel-title">
                <h2 id={`my-exams-${s}`}>{t.states[s]}</h2>
                <span className="text-secondary">{t.count(items.length)}</span>
              </div>
              <ul className="exam-cards">
                {items.map((e) => (
                  <ExamCard key={e.id} exam={e} />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    );

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <Button
            icon={<ReloadOutlined />}
            aria-label={common.refresh}
            title={common.refresh}
            loading={exams.isFetching || wrong.query.isFetching}
            onClick={() => void (tab === 'wrong' ? wrong.reload() : exams.refetch())}
          />
        }
      />
      <FilterBar
        defs={[{ kind: 'tabs', name: 'tab', label: t.tabs, options: [{ value: '', label: t.examsTab }, { value: 'wrong', label: t.wrongTab }] }]}
        filters={url.filters}
        onChange={(p) => url.set({ tab: p.tab === undefined ? null : String(p.tab) })}
        onReset={() => url.set({ tab: null })}
      />
      {body}
    </>
  );
}

/** The officer's own standing in an exam, in words. */
function myStatus(e: MyExam): ReactNode {
  const a = e.attempt;
  if (!a) return <span className="text-secondary">{e.state === 'upcoming' ? t.notOpen : e.state === 'open' ? t.notTaken : t.missed}</span>;
  if (a.status === 'in_progress') return <Tag color="blue">{t.inProgress(formatTime(a.deadlineAt))}</Tag>;
  if (a.status === 'submitted') return <Tag color="orange">{t.awaiting}</Tag>;
  return (
    <span>
      <strong className="my-exam-score">{t.scoreIs(score(a.score))}</strong>{' '}
      {a.passed !== null ? <Tag color={a.passed ? 'green' : 'red'}>{a.passed ? t.passed : t.failed}</Tag> : null}
    </span>
  );
}

function ExamCard({ exam: e }: { exam: MyExam }) {
  const a = e.attempt;
  const online = e.kind === 'online_objective';
  let action: ReactNode = null;
  if (online && e.state === 'open' && !a) {
    action = (
      <Link className="plain-action primary" to={`/study/exam?exam=${encodeURIComponent(e.id)}`} aria-label={`${t.start}：${e.title}`}>
        {t.start}
      </Link>
    );
  } else if (online && a?.status === 'in_progress') {
    action = (
      <Link className="plain-action primary" to={`/study/exam?attempt=${encodeURIComponent(a.id)}`} aria-label={`${t.resume}：${e.title}`}>
        {t.resume}
      </Link>
    );
  } else if (online && a) {
    action = (
      <Link className="plain-action" to={`/study/exam?attempt=${encodeURIComponent(a.id)}`} aria-label={`${t.view}：${e.title}`}>
        {t.view}
      </Link>
    );
  }
  return (
    <li className="exam-card" data-testid="my-exam">
      <h2>{e.title}</h2>
      <dl className="exam-facts">
        <dt>{t.topic}</dt>
        <dd>{e.topicTitle ?? xt.common.none}</dd>
        <dt>{t.kind}</dt>
        <dd>{e.kindLabel}</dd>
        <dt>{t.time}</dt>
        <dd>
          {formatTime(e.opensAt)} {common.dateTill} {formatTime(e.closesAt)}
        </dd>
        {online && e.durationMinutes ? (
          <>
            <dt>{t.duration}</dt>
            <dd>{t.minutes(e.durationMinutes)}</dd>
          </>
        ) : null}
        <dt>{t.scores}</dt>
        <dd>{t.fullPass(e.fullScore, e.passScore)}</dd>
        <dt>{t.mine}</dt>
        <dd>{myStatus(e)}</dd>
      </dl>
      {action ? <div className="exam-card-actions">{action}</div> : null}
    </li>
  );
}

function WrongBook({ list }: { list: ListState<WrongAnswer> }) {
  if (list.query.isError) return <LoadFailed error={list.query.error} onRetry={() => void list.reload()} />;
  if (!list.data) return <p className="text-secondary">{common.loading}</p>;
  if (!list.items.length) return <Empty description={t.noWrong} />;
  return (
    <section className="panel" aria-labelledby="wrong-book">
      <div className="panel-title">
        <h2 id="wrong-book">{t.wrongTab}</h2>
        <span className="text-secondary">{t.wrongHint}</span>
      </div>
      <ol className="wrong-list">
        {list.items.map((w) => (
          <li key={w.questionId} className="exam-q">
            <div className="exam-q-head">
              <span className="exam-q-type">{w.typeLabel}</span>
              <span className="text-secondary" style={{ fontSize: 13 }}>
                {t.fromExam(w.examTitle)}
              </span>
              <span className="exam-mark none">{t.times(w.times)}</span>
            </div>
            <p className="exam-q-stem">{w.stem}</p>
            {w.options.length ? (
              <ul className="exam-review-options">
                {w.options.map((o, i) => (
                  <li key={o.key}>
                    <span className="exam-option-letter">{OPTION_KEYS[i]}．</span>
                    {o.text}
                  </li>
                ))}
              </ul>
            ) : null}
            <dl className="exam-facts">
              <dt>{xt.review.given}</dt>
              <dd className="exam-pre">{answerText(w.type, w.given, w.options)}</dd>
              <dt>{w.type === 'essay' ? xt.review.reference : xt.review.answer}</dt>
              <dd className="exam-pre">{answerText(w.type, w.answer, w.options)}</dd>
              {w.explanation ? (
                <>
                  <dt>{xt.review.explanation}</dt>
                  <dd className="exam-pre">{w.explanation}</dd>
                </>
              ) : null}
              <dt>{t.lastWrong}</dt>
              <dd>{formatTime(w.lastAt)}</dd>
            </dl>
          </li>
        ))}
      </ol>
      {list.total > list.pageSize ? <Pager {...list.pager} sizes={[10, 20, 50]} /> : null}
    </section>
  );
}
