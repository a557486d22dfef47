// 在线答题: the officer's paper (?attempt=<id>, or ?exam=<id> to start or resume one). One scrolling
// paper with a question navigator (答题卡); options in the order the server gave, lettered by position.
// A countdown to the attempt's deadline on the server's clock (the device's may be off); answers saved
// a moment after each change and every 30 s, and kept in this browser until the server has them, so a
// reload or a dropped connection loses nothing. Leaving the page (another tab or app) is counted and
// sent with the saves. 交卷 asks first; when time runs out the paper is handed in by itself. Once handed
// in: the score (or 待阅卷), and after the exam closes the answers and explanations.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api.js';
import { useMe } from '../../auth/useMe.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFeedback } from '../../components/feedback.js';
import { formatDateTime, formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { PageHeader } from '../../components/PageHeader.js';
import { common, exams as xt } from '../../i18n/index.js';
import { PaperReview } from './PaperReview.js';
import { blankCount, EXAMS_KEY, isAnswered, MY_ATTEMPTS_KEY, MY_EXAMS_KEY, OPTION_KEYS, score, type Attempt, type PaperQuestion } from './shared.js';
import './exams.css';

const t = xt.taking;

type Answer = string | boolean | string[] | null;
type Loaded = Attempt & { receivedAt: number };
interface Outcome {
  status: Attempt['status'];
  autoScore: number;
  score: number | null;
  passed: boolean | null;
}

/** What this browser keeps of an attempt until the server has it: unsaved answers and the tab switches. */
interface Kept {
  answers: Record<string, Answer>;
  tabSwitches: number;
}
const keptKey = (id: string) => `rectify.exam.${id}`;
function readKept(id: string): Kept | null {
  try {
    const raw = localStorage.getItem(keptKey(id));
    return raw ? (JSON.parse(raw) as Kept) : null;
  } catch {
    return null;
  }
}
function writeKept(id: string, kept: Kept | null) {
  try {
    if (kept) localStorage.setItem(keptKey(id), JSON.stringify(kept));
    else localStorage.removeItem(keptKey(id));
  } catch {
    // Private mode or a full store: the server's copy is all there is.
  }
}

const AUTOSAVE_DELAY = 1500;
const AUTOSAVE_EVERY = 30_000;
const RETRY_AFTER = 5000;

/** mm:ss, or h:mm:ss from an hour up. */
function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h ? `${h}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}

export default function ExamTakingPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const attemptId = params.get('attempt');
  const examId = params.get('exam');
  const [startError, setStartError] = useState<unknown>(null);
  const started = useRef<string | null>(null);

  // ?exam=: start (or resume) the attempt once, then show it by its own address.
  useEffect(() => {
    if (!examId || attemptId || !me.user.personId || started.current === examId) return;
    started.current = examId;
    setStartError(null);
    api
      .post<{ id: string; resumed: boolean }>(`${EXAMS_KEY}/${examId}/start`)
      .then((r) => setParams({ attempt: r.id }, { replace: true }))
      .catch(setStartError);
  }, [examId, attemptId, me.user.personId, setParams]);

  const query = useQuery({
    queryKey: [MY_ATTEMPTS_KEY, attemptId],
    queryFn: async (): Promise<Loaded> => ({ ...(await api.get<Attempt>(`${MY_ATTEMPTS_KEY}/${attemptId}`)), receivedAt: Date.now() }),
    enabled: Boolean(attemptId && me.user.personId),
    // The answers on the page are the page's own: never replaced behind the officer's back.
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    staleTime: Infinity,
    retry: 1,
  });
  const a = query.data;

  let body: ReactNode;
  if (!me.user.personId) body = <p className="notice warning">{t.noPerson}</p>;
  else if (!attemptId && !examId) body = <ChooseExam />;
  else if (startError) body = <StartFailed error={startError} />;
  else if (!attemptId) body = <p className="text-secondary">{t.starting}</p>;
  else if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!a) body = <p className="text-secondary">{common.loading}</p>;
  else if (a.status === 'in_progress') body = <Answering key={`${a.id}:${a.version}`} attempt={a} onReload={() => void query.refetch()} />;
  else body = <Result attempt={a} />;

  return (
    <>
      <PageHeader subTitle={a?.examTitle} />
      {body}
    </>
  );
}

function ChooseExam() {
  return (
    <section className="panel">
      <p style={{ marginTop: 0 }}>{t.chooseExam}</p>
      <Link to="/study/my-exams">{t.toMyExams}</Link>
    </section>
  );
}

function StartFailed({ error }: { error: unknown }) {
  return (
    <section className="panel">
      <p className="notice warning" role="alert">
        {t.startFailed}：{error instanceof Error ? error.message : String(error)}
      </p>
      <Link to="/study/my-exams">{t.toMyExams}</Link>
    </section>
  );
}

type SaveState =
  | { kind: 'idle' | 'saved' | 'dirty' | 'saving' | 'offline'; at: string | null }
  | { kind: 'conflict' | 'error'; at: string | null; message: string };

function Answering({ attempt, onReload }: { attempt: Loaded; onReload: () => void }) {
  const { message } = useFeedback();
  const qc = useQueryClient();
  const inPaper = useMemo(() => new Set(attempt.questions.map((q) => q.id)), [attempt.questions]);
  // What this browser kept and the server may not have: read once, when the paper opens.
  const [kept] = useState(() => readKept(attempt.id));

  const [answers, setAnswers] = useState<Record<string, Answer>>(() => {
    const out: Record<string, Answer> = {};
    for (const q of attempt.questions) out[q.id] = (q.given as Answer) ?? null;
    for (const [k, v] of Object.entries(kept?.answers ?? {})) if (inPaper.has(k)) out[k] = v;
    return out;
  });
  const answersRef = useRef(answers);
  /** Answers changed and not yet saved, each with the change's number (a change during a save stays pending). */
  const pending = useRef(new Map<string, number>(Object.keys(kept?.answers ?? {}).filter((k) => inPaper.has(k)).map((k) => [k, 0])));
  const changes = useRef(0);
  const version = useRef(attempt.version);
  const tabs = useRef(Math.max(attempt.tabSwitches, kept?.tabSwitches ?? 0));
  const tabsSent = useRef(attempt.tabSwitches);
  const [tabCount, setTabCount] = useState(tabs.current);
  const [save, setSave] = useState<SaveState>({ kind: pending.current.size ? 'dirty' : attempt.savedAt ? 'saved' : 'idle', at: attempt.savedAt });
  const [submitting, setSubmitting] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef(false);
  const again = useRef(false);
  const finished = useRef(false);
  // The parent's refetch, kept in a ref: the save and submit callbacks (and the listeners) stay put.
  const reload = useRef(onReload);
  useEffect(() => {
    reload.current = onReload;
  }, [onReload]);

  const keep = useCallback(() => {
    const unsaved = Object.fromEntries([...pending.current.keys()].map((k) => [k, answersRef.current[k] ?? null]));
    writeKept(attempt.id, Object.keys(unsaved).length || tabs.current > tabsSent.current ? { answers: unsaved, tabSwitches: tabs.current } : null);
  }, [attempt.id]);

  const saveNow = useCallback(async () => {
    if (finished.current) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const sent = [...pending.current.entries()];
    if (!sent.length && tabs.current === tabsSent.current) return;
    inFlight.current = true;
    clearTimeout(timer.current);
    setSave((s) => ({ kind: 'saving', at: s.at }));
    const body = {
      answers: Object.fromEntries(sent.map(([k]) => [k, answersRef.current[k] ?? null])),
      tabSwitches: tabs.current,
      version: version.current,
    };
    try {
      const r = await api.put<{ version: number; savedAt: string }>(`${MY_ATTEMPTS_KEY}/${attempt.id}/answers`, body);
      version.current = r.version;
      tabsSent.current = Math.max(tabsSent.current, body.tabSwitches);
      for (const [k, n] of sent) if (pending.current.get(k) === n) pending.current.delete(k);
      keep();
      setSave({ kind: pending.current.size ? 'dirty' : 'saved', at: r.savedAt });
    } catch (err) {
      if (finished.current) return;
      if (err instanceof ApiError && (err.code === 'ATTEMPT_TIME_UP' || err.code === 'ATTEMPT_SUBMITTED')) {
        // Time is up (or handed in elsewhere): the server hands the paper in with what it has.
        finished.current = true;
        message.warning(err.message);
        reload.current();
      } else if (err instanceof ApiError && err.status === 409) {
        setSave((s) => ({ kind: 'conflict', at: s.at, message: err.message }));
      } else if (err instanceof ApiError && err.status >= 400 && err.status < 500 && ![401, 408, 429].includes(err.status)) {
        setSave((s) => ({ kind: 'error', at: s.at, message: err.message }));
      } else {
        // Offline or the server away: the answers stay in this browser; try again shortly.
        setSave((s) => ({ kind: 'offline', at: s.at }));
        clearTimeout(timer.current);
        timer.current = setTimeout(() => void saveNow(), RETRY_AFTER);
      }
    } finally {
      inFlight.current = false;
      if (again.current && !finished.current) {
        again.current = false;
        clearTimeout(timer.current);
        timer.current = setTimeout(() => void saveNow(), 300);
      }
    }
  }, [attempt.id, keep, message]);

  const change = (id: string, value: Answer) => {
    const next = { ...answersRef.current, [id]: value };
    answersRef.current = next;
    setAnswers(next);
    pending.current.set(id, ++changes.current);
    keep();
    setSave((s) => (s.kind === 'saving' || s.kind === 'conflict' ? s : { kind: 'dirty', at: s.at }));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNow(), AUTOSAVE_DELAY);
  };

  // Kept answers from an earlier visit go to the server at once; then every 30 s whatever is new.
  useEffect(() => {
    if (pending.current.size || tabs.current > tabsSent.current) void saveNow();
    const every = setInterval(() => void saveNow(), AUTOSAVE_EVERY);
    const online = () => void saveNow();
    // Reloading or leaving for good hides the page too: that is no switch to count.
    let unloading = false;
    const beforeUnload = () => {
      unloading = true;
    };
    // Leaving the paper (another tab or app) is counted; coming back saves.
    const visibility = () => {
      if (document.visibilityState === 'hidden' && !unloading) {
        tabs.current += 1;
        setTabCount(tabs.current);
        keep();
      }
      void saveNow();
    };
    window.addEventListener('online', online);
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('visibilitychange', visibility);
    return () => {
      clearInterval(every);
      clearTimeout(timer.current);
      window.removeEventListener('online', online);
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('visibilitychange', visibility);
    };
  }, [saveNow, keep]);

  const submit = useCallback(
    async (auto: boolean) => {
      if (finished.current) return;
      finished.current = true;
      clearTimeout(timer.current);
      setSubmitting(true);
      const body = { answers: answersRef.current, tabSwitches: tabs.current };
      for (let tries = 0; ; tries++) {
        try {
          const r = await api.post<Outcome>(`${MY_ATTEMPTS_KEY}/${attempt.id}/submit`, body);
          writeKept(attempt.id, null);
          qc.setQueryData<Loaded>([MY_ATTEMPTS_KEY, attempt.id], (old) =>
            old ? { ...old, status: r.status, score: r.score, autoScore: r.autoScore, passed: r.passed, submittedAt: new Date().toISOString() } : old,
          );
          void qc.invalidateQueries({ queryKey: [MY_EXAMS_KEY] });
          reload.current();
          return;
        } catch (err) {
          if (err instanceof ApiError && err.status === 409) {
            // Too late: the server has handed it in with the last saved answers, and says so.
            writeKept(attempt.id, null);
            message.warning(err.message);
            void qc.invalidateQueries({ queryKey: [MY_EXAMS_KEY] });
            reload.current();
            return;
          }
          const network = !(err instanceof ApiError) || err.status === 0 || err.status >= 500;
          if (auto && network && tries < 5) {
            await new Promise((res) => setTimeout(res, 3000));
            continue;
          }
          finished.current = false;
          setSubmitting(false);
          message.error(err instanceof Error ? err.message : String(err));
          throw err;
        }
      }
    },
    [attempt.id, message, qc],
  );

  // The countdown runs on the server's clock: the device's may be minutes off.
  const skew = Date.parse(attempt.now) - attempt.receivedAt;
  const deadline = Date.parse(attempt.deadlineAt ?? attempt.closesAt);
  const [left, setLeft] = useState(() => deadline - (Date.now() + skew));
  useEffect(() => {
    const tick = setInterval(() => setLeft(deadline - (Date.now() + skew)), 1000);
    return () => clearInterval(tick);
  }, [deadline, skew]);
  const timeUp = left <= 0;
  useEffect(() => {
    if (timeUp) void submit(true).catch(() => undefined);
  }, [timeUp, submit]);

  const total = attempt.questions.length;
  const done = attempt.questions.filter((q) => isAnswered(answers[q.id])).length;
  const [navOpen] = useState(() => typeof window === 'undefined' || window.matchMedia('(min-width: 768px)').matches);

  const jump = (no: number) => {
    const el = document.getElementById(`q-${no}`);
    el?.scrollIntoView({ block: 'start' });
    el?.querySelector<HTMLElement>('input, textarea')?.focus({ preventScroll: true });
  };

  const saveText = (() => {
    switch (save.kind) {
      case 'saving':
        return t.saving;
      case 'saved':
        return save.at ? t.savedAt(formatDateTime(save.at).slice(11)) : t.saved;
      case 'dirty':
        return t.unsaved;
      case 'offline':
        return t.offline;
      case 'conflict':
      case 'error':
        return save.message;
      default:
        return t.notSavedYet;
    }
  })();

  return (
    <div className="exam-taking">
      <div className="exam-bar">
        <span className={left < 5 * 60_000 ? 'exam-clock urgent' : 'exam-clock'}>
          <span className="exam-bar-label">{t.remaining}</span>
          <span role="timer" aria-label={t.remaining} className="exam-clock-value">
            {clock(left)}
          </span>
        </span>
        <span className={`exam-save ${save.kind}`} aria-live="polite" data-testid="save-state">
          {saveText}
          {save.kind === 'offline' || save.kind === 'error' ? (
            <button type="button" className="link-action" onClick={() => void saveNow()}>
              {t.retry}
            </button>
          ) : null}
          {save.kind === 'conflict' ? (
            <button type="button" className="link-action" onClick={onReload}>
              <ReloadOutlined aria-hidden /> {t.reloadPaper}
            </button>
          ) : null}
        </span>
        <span className="exam-count">{t.answered(done, total)}</span>
        <span className="exam-submit">
          <ConfirmButton
            variant="button"
            title={t.submitConfirm}
            description={done < total ? t.submitUnanswered(total - done) : t.submitAll}
            okText={t.submit}
            disabled={submitting || timeUp}
            onConfirm={() => submit(false)}
          >
            {submitting ? t.submitting : t.submit}
          </ConfirmButton>
        </span>
      </div>
      {timeUp ? (
        <p className="notice warning" role="alert">
          {t.timeUp}
        </p>
      ) : null}
      <p className="text-secondary exam-hint">
        {t.deadline(formatTime(attempt.deadlineAt))}
        {t.hint}
        {tabCount > 0 ? <strong className="text-danger">{t.tabSwitches(tabCount)}</strong> : null}
      </p>
      <div className="exam-layout">
        <details className="exam-nav" open={navOpen}>
          <summary>{t.card(done, total)}</summary>
          <nav aria-label={t.cardLabel}>
            <ol className="exam-nav-list">
              {attempt.questions.map((q) => {
                const ok = isAnswered(answers[q.id]);
                return (
                  <li key={q.id}>
                    <button type="button" className={ok ? 'exam-nav-button done' : 'exam-nav-button'} aria-label={t.goTo(q.no, ok)} onClick={() => jump(q.no)}>
                      {q.no}
                    </button>
                  </li>
                );
              })}
            </ol>
          </nav>
        </details>
        <ol className="exam-paper" aria-label={t.paper}>
          {attempt.questions.map((q) => (
            <li key={q.id} id={`q-${q.no}`} className="exam-q">
              <QuestionInput q={q} value={answers[q.id] ?? null} disabled={submitting || timeUp} onChange={(v) => change(q.id, v)} />
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}

/** One question as a named group: its controls labelled by their own text. */
function QuestionInput({ q, value, disabled, onChange }: { q: PaperQuestion; value: Answer; disabled: boolean; onChange: (v: Answer) => void }) {
  const legendId = `q-${q.no}-legend`;
  const name = `q-${q.id}`;
  let controls: ReactNode;
  switch (q.type) {
    case 'single':
      controls = (
        <div className="exam-options">
          {q.options.map((o, i) => (
            <label key={o.key} className={value === o.key ? 'exam-option checked' : 'exam-option'}>
              <input type="radio" name={name} value={o.key} checked={value === o.key} disabled={disabled} onChange={() => onChange(o.key)} />
              <span className="exam-option-letter">{OPTION_KEYS[i]}．</span>
              <span>{o.text}</span>
            </label>
          ))}
        </div>
      );
      break;
    case 'multiple': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      controls = (
        <div className="exam-options">
          {q.options.map((o, i) => {
            const on = chosen.includes(o.key);
            return (
              <label key={o.key} className={on ? 'exam-option checked' : 'exam-option'}>
                <input
                  type="checkbox"
                  name={name}
                  value={o.key}
                  checked={on}
                  disabled={disabled}
                  onChange={() => onChange(on ? chosen.filter((k) => k !== o.key) : [...chosen, o.key])}
                />
                <span className="exam-option-letter">{OPTION_KEYS[i]}．</span>
                <span>{o.text}</span>
              </label>
            );
          })}
        </div>
      );
      break;
    }
    case 'judge':
      controls = (
        <div className="exam-options judge">
          {([true, false] as const).map((v) => (
            <label key={String(v)} className={value === v ? 'exam-option checked' : 'exam-option'}>
              <input type="radio" name={name} value={String(v)} checked={value === v} disabled={disabled} onChange={() => onChange(v)} />
              <span>{v ? xt.common.right : xt.common.wrong}</span>
            </label>
          ))}
        </div>
      );
      break;
    case 'blank': {
      const n = Math.max(1, blankCount(q.stem));
      const typed = Array.isArray(value) ? (value as string[]) : [];
      controls = (
        <div className="exam-blanks">
          {Array.from({ length: n }, (_, i) => (
            <label key={i} className="exam-blank">
              <span>{t.blank(i + 1)}</span>
              <input
                type="text"
                maxLength={200}
                autoComplete="off"
                value={typed[i] ?? ''}
                disabled={disabled}
                onChange={(e) => onChange(Array.from({ length: n }, (_, k) => (k === i ? e.target.value : (typed[k] ?? ''))))}
              />
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'essay':
      controls = (
        <div className="exam-essay">
          <textarea
            aria-labelledby={legendId}
            rows={6}
            maxLength={5000}
            value={typeof value === 'string' ? value : ''}
            disabled={disabled}
            onChange={(e) => onChange(e.target.value)}
          />
          <span className="field-count">{(typeof value === 'string' ? value : '').length} / 5000</span>
        </div>
      );
      break;
  }
  return (
    <fieldset className="exam-q-set">
      <legend id={legendId} className="exam-q-legend">
        <span className="exam-q-head">
          <span className="exam-q-no">{q.no}．</span>
          <span className="exam-q-type">{t.qType(q.typeLabel, q.points)}</span>
        </span>
        <span className="exam-q-stem">{q.stem}</span>
      </legend>
      {controls}
    </fieldset>
  );
}

/** A handed-in paper: the score or 待阅卷, and once the exam has closed the answers with explanations. */
function Result({ attempt }: { attempt: Attempt }) {
  const graded = attempt.status === 'graded';
  // Handed in (here, elsewhere or by the server at the deadline): nothing of it is worth keeping here.
  useEffect(() => writeKept(attempt.id, null), [attempt.id]);
  return (
    <div className="stack">
      <section className="panel exam-result" aria-labelledby="exam-result-title" data-testid="exam-result">
        <div className="panel-title">
          <h2 id="exam-result-title">{t.result}</h2>
          {graded && attempt.passed !== null ? <Tag color={attempt.passed ? 'green' : 'red'}>{attempt.passed ? t.passed : t.failed}</Tag> : null}
        </div>
        {graded ? (
          <p className="exam-score">
            <span data-testid="exam-score">{score(attempt.score)}</span>
            <span className="exam-score-unit">{t.points}</span>
            <span className="text-secondary exam-score-of">{t.scoreOf(attempt.fullScore, attempt.passScore)}</span>
          </p>
        ) : (
          <p className="exam-score">
            <span data-testid="exam-score">{t.awaiting}</span>
            <span className="text-secondary exam-score-of">{t.autoScore(score(attempt.autoScore))}</span>
          </p>
        )}
        <p className="text-secondary" style={{ marginBottom: 0 }}>
          {t.submittedAt(formatTime(attempt.submittedAt))}
        </p>
        {attempt.revealed ? null : <p className="notice info" style={{ margin: '12px 0 0' }}>{t.reviewLater(formatTime(attempt.closesAt))}</p>}
        <p style={{ margin: '12px 0 0' }}>
          <Link to="/study/my-exams">{t.toMyExams}</Link>
        </p>
      </section>
      {attempt.revealed ? (
        <section className="panel" aria-labelledby="exam-review-title">
          <div className="panel-title">
            <h2 id="exam-review-title">{xt.review.title}</h2>
          </div>
          <PaperReview questions={attempt.questions} label={xt.review.title} />
        </section>
      ) : null}
    </div>
  );
}
