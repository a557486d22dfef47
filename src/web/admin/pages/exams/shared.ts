// The API shapes of 考试, 题库, 学习档案 and 年度考评 (src/server/modules/exams), their query keys and
// the small helpers every exam page shares: answers shown as text, blanks counted in a stem, the year
// in Beijing. Light on purpose (every page loads it first): no components, no form library, no zod.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, qs, type Page } from '../../api.js';
import type { FilterDef } from '../../components/FilterBar.js';
import { formatDate } from '../../components/format.js';
import { exams as xt } from '../../i18n/index.js';
import type { AttemptStatus, ExamKind, PaperMode, QuestionType, StudyMode } from '../../../../shared/schemas/study-labels.js';

export const TOPICS_KEY = '/api/study/topics';
export const QUESTIONS_KEY = '/api/study/questions';
export const EXAMS_KEY = '/api/study/exams';
export const ATTEMPTS_KEY = '/api/study/attempts';
export const MY_EXAMS_KEY = '/api/study/my/exams';
export const MY_ATTEMPTS_KEY = '/api/study/my/attempts';
export const WRONG_KEY = '/api/study/my/wrong-answers';
export const MY_ARCHIVE_KEY = '/api/study/my/archive';
export const ARCHIVES_KEY = '/api/study/archives';
export const SUMMARY_KEY = '/api/study/archive-summary';
export const ASSESSMENT_KEY = '/api/study/assessment';

/** Option keys as the bank stores them (shared/schemas/exams.ts, without loading zod). */
export const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

export interface Topic {
  id: string;
  campaignId: string;
  title: string;
  description: string | null;
  startsOn: string | null;
  endsOn: string | null;
  onlineWeight: number;
  offlineWeight: number;
  passScore: number;
  updatedAt: string;
}

export interface Option {
  key: string;
  text: string;
}

export interface Question {
  id: string;
  topicId: string;
  type: QuestionType;
  typeLabel: string;
  difficulty: 1 | 2 | 3;
  difficultyLabel: string;
  stem: string;
  options: Option[];
  /** "B" | ["A","C"] | true | [["x","y"],["z"]] | "reference". */
  answer: unknown;
  explanation: string | null;
  status: 'active' | 'retired';
  createdAt: string;
  updatedAt: string;
}

export interface ExamFigures {
  attempts: number;
  submitted: number;
  graded: number;
  passed: number;
  awaitingMarks: number;
  average: number | null;
}

export interface ExamRow extends ExamFigures {
  id: string;
  topicId: string;
  topicTitle: string | null;
  kind: ExamKind;
  kindLabel: string;
  title: string;
  orgUnitId: string;
  opensAt: string;
  closesAt: string;
  durationMinutes: number | null;
  fullScore: number;
  passScore: number;
  paperMode: PaperMode | null;
  paperModeLabel: string | null;
  rules: { type: QuestionType; typeLabel: string; difficulty: number | null; count: number; points: number }[];
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  expectedCount: number;
}

export interface ExamDetail extends ExamRow {
  questions: { id: string; type: QuestionType; typeLabel: string; stem: string; points: number }[];
  targetUnitIds: string[];
  targetPersonCount: number;
  targetPersonIds: string[];
  /** The named people the viewer may see, with their names. */
  targetPeople: { id: string; name: string; orgUnitName: string | null }[];
  /** Anyone at all has started it (not only in the viewer's scope). */
  started: boolean;
}

export interface ResultRow {
  id: string;
  personId: string;
  name: string;
  policeNo: string | null;
  orgUnitId: string;
  orgUnitName: string;
  status: AttemptStatus;
  score: number | null;
  autoScore: number | null;
  passed: boolean | null;
  tabSwitches: number;
  startedAt: string | null;
  submittedAt: string | null;
}

/** A person an exam expects (GET /exams/:id/expected): no attempt yet is status null. */
export interface ExpectedRow {
  personId: string;
  name: string;
  policeNo: string | null;
  orgUnitName: string;
  attemptId: string | null;
  status: AttemptStatus | null;
  score: number | null;
  passed: boolean | null;
}

export type ExpectedPage = Page<ExpectedRow> & { fullScore: number };

/** One person's topic result (GET /topics/:id/results): each kind as a percentage, null when not taken. */
export interface TopicResultRow {
  personId: string;
  name: string;
  policeNo: string | null;
  orgUnitName: string;
  online: number | null;
  offline: number | null;
  combined: number;
  passed: boolean;
}

export type TopicResultsPage = Page<TopicResultRow> & {
  topic: { id: string; title: string; onlineWeight: number; offlineWeight: number; passScore: number };
};

export interface PaperQuestion {
  no: number;
  id: string;
  type: QuestionType;
  typeLabel: string;
  stem: string;
  points: number;
  /** In the order this person saw them: labelled A, B, C… by position. */
  options: Option[];
  given: unknown;
  /** Only when revealed (graders always; the person once the exam has closed). */
  answer?: unknown;
  explanation?: string | null;
  mark?: number | null;
}

export interface Attempt {
  id: string;
  examId: string;
  examTitle: string;
  kind: ExamKind;
  personId: string;
  status: AttemptStatus;
  startedAt: string | null;
  deadlineAt: string | null;
  savedAt: string | null;
  submittedAt: string | null;
  closesAt: string;
  version: number;
  tabSwitches: number;
  fullScore: number;
  passScore: number;
  score: number | null;
  autoScore: number | null;
  passed: boolean | null;
  revealed: boolean;
  /** The server's clock when it answered: the countdown corrects the device's clock by it. */
  now: string;
  questions: PaperQuestion[];
}

export interface StaffAttempt extends Attempt {
  personName: string;
  orgUnitName: string;
}

export interface MyExam extends ExamRow {
  state: 'upcoming' | 'open' | 'closed';
  attempt: { id: string; status: AttemptStatus; score: number | null; passed: boolean | null; deadlineAt: string | null; submittedAt: string | null } | null;
}

export interface WrongAnswer {
  questionId: string;
  type: QuestionType;
  typeLabel: string;
  stem: string;
  options: Option[];
  answer: unknown;
  explanation: string | null;
  given: unknown;
  times: number;
  lastAt: string;
  examTitle: string;
}

export interface TopicResult {
  topicId: string;
  title: string;
  online: number | null;
  offline: number | null;
  combined: number;
  passed: boolean;
}

export interface AssessmentRule {
  hoursTarget: number;
  participationTarget: number;
  hoursWeight: number;
  examsWeight: number;
  participationWeight: number;
  awardMinScore: number;
  requireTopicsPassed: boolean;
}

export interface Assessed {
  score: number;
  hoursPart: number;
  examsPart: number;
  participationPart: number;
  examAverage: number;
  topicsPassed: boolean;
  eligible: boolean;
}

export interface Archive {
  year: number;
  person: { id: string; name: string; policeNo: string | null; post: string | null; orgUnitName: string };
  hours: number;
  hoursByMode: Record<StudyMode, number>;
  attendances: { activityId: string; title: string; mode: StudyMode; modeLabel: string; heldOn: string; hours: number; method: 'qr' | 'list' }[];
  shares: { id: string; title: string; category: string; kind: string; publishedOn: string; plays: number; likes: number }[];
  reviews: { id: string; activityTitle: string; excerpt: string; submittedAt: string }[];
  exams: { examId: string; title: string; kind: ExamKind; kindLabel: string; topicTitle: string; opensAt: string; status: AttemptStatus; score: number | null; fullScore: number; passed: boolean | null }[];
  topics: TopicResult[];
  commendations: { id: string; title: string; conferredBy: string; conferredOn: string; reason: string | null }[];
  wrongAnswers: number;
  assessment: Assessed & { rule: AssessmentRule };
}

export interface UnitSummary {
  year: number;
  people: number;
  hours: number;
  attendances: number;
  peopleAttended: number;
  examsGraded: number;
  examsPassed: number;
  passRate: number | null;
  units: { unitId: string; unitName: string; people: number; hours: number; hoursPerPerson: number; attendances: number; peopleAttended: number; examsGraded: number; examsPassed: number; passRate: number | null }[];
}

export interface AssessmentRow extends Assessed {
  personId: string;
  name: string;
  policeNo: string | null;
  orgUnitName: string;
  hours: number;
  attended: number;
  shares: number;
  reviews: number;
  topics: TopicResult[];
}

export type AssessmentPage = Page<AssessmentRow> & { year: number; rule: AssessmentRule; customRule: boolean };

/** A campaign's topics (a handful: no paging); the answer names the campaign (the server's default when none is asked). */
export function useTopics(campaignId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [TOPICS_KEY, { campaignId }],
    queryFn: () => api.get<Page<Topic> & { campaignId: string | null }>(TOPICS_KEY + qs({ campaignId })),
    staleTime: 60_000,
    enabled,
  });
}

/** Blanks in a stem: runs of underscores (half- or full-width) or empty brackets, as the server counts them. */
export function blankCount(stem: string): number {
  return (stem.match(/[_＿]{2,}|（\s*）|\(\s*\)/g) ?? []).length;
}

/** The letter an option shows: its place in the list this person saw (A for the first…). */
export function letterOf(options: readonly Option[], key: string): string {
  const i = options.findIndex((o) => o.key === key);
  return i < 0 ? key : (OPTION_KEYS[i] ?? key);
}

/**
 * An answer (given or right) as text. Choice answers are letters by position in `options` (the order
 * the person saw), so a shuffled paper reads as it was shown; judge 正确/错误; blanks per blank, a
 * blank's accepted answers joined by “/”.
 */
export function answerText(type: QuestionType, value: unknown, options: readonly Option[] = []): string {
  const none = xt.common.none;
  if (value === null || value === undefined || value === '') return none;
  switch (type) {
    case 'single':
      return typeof value === 'string' ? letterOf(options, value) : none;
    case 'multiple':
      return Array.isArray(value) && value.length
        ? (value as string[]).map((k) => letterOf(options, k)).sort().join('')
        : none;
    case 'judge':
      return value === true ? xt.common.right : value === false ? xt.common.wrong : none;
    case 'blank':
      if (!Array.isArray(value) || !value.length) return none;
      return (value as unknown[]).map((b) => (Array.isArray(b) ? b.join(' / ') : String(b ?? '') || none)).join('；');
    case 'essay':
      return typeof value === 'string' && value.trim() ? value : none;
  }
}

/** Whether an answer says anything (an empty blank or a cleared choice does not). */
export function isAnswered(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && v.trim() !== '');
  return false;
}

/** The calendar year in Beijing now. */
export const thisYear = () => Number(formatDate(new Date().toISOString()).slice(0, 4));

/**
 * The year an archive or assessment shows: the one chosen, else the server's default (the year of the
 * campaign the study pages open on) — remembered once answered, so the year filter can name it.
 */
export function useShownYear(chosen: string | undefined, answered: number | undefined) {
  const [defaultYear, setDefaultYear] = useState<number>();
  useEffect(() => {
    if (!chosen && answered !== undefined) setDefaultYear(answered);
  }, [chosen, answered]);
  return { year: chosen ? Number(chosen) : (answered ?? defaultYear), defaultYear };
}

/** The year filter: its empty choice is the server's default year, the others this year back to 2021. */
export function yearFilter(defaultYear: number | undefined): FilterDef {
  const options: { value: string; label: string }[] = [];
  for (let y = Math.max(thisYear(), defaultYear ?? 0); y >= 2021; y--) if (y !== defaultYear) options.push({ value: String(y), label: xt.common.year(y) });
  return {
    kind: 'select',
    name: 'year',
    label: xt.common.yearLabel,
    width: 130,
    emptyLabel: defaultYear ? xt.common.year(defaultYear) : xt.common.defaultYear,
    options,
  };
}

/** A score as the bureau writes it: 87.5, 90; none → —. */
export const score = (v: number | null | undefined) => (v === null || v === undefined ? xt.common.none : String(v));

/** A rate (0–1) as a percentage with one decimal. */
export const percent = (v: number | null | undefined) => (v === null || v === undefined ? xt.common.none : `${Number((v * 100).toFixed(1))}%`);
