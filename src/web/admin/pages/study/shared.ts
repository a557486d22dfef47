// The API shapes of 学习教育 "九学" (src/server/modules/study), their query keys and the small helpers the
// study pages share: times typed and shown in Beijing time, the day headings of the share feed, a
// mode's colour. Light on purpose (every study page loads it first): no components, no form library,
// no schema library (labels come from study-labels.ts).
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api, qs, type Page } from '../../api.js';
import { formatDate, formatTime } from '../../components/format.js';
import type { AttendanceMethod, CommendationKind, LinkKind, ShareCategory, ShareKind, StudyMode } from '../../../../shared/schemas/study-labels.js';

export const ACTIVITIES_KEY = '/api/study/activities';
export const SERIES_KEY = '/api/study/series';
export const CHECKIN_KEY = '/api/study/checkin';
export const MY_ACTIVITIES_KEY = '/api/study/my/activities';
export const MY_REVIEWS_KEY = '/api/study/my/reviews';
export const SHARES_KEY = '/api/study/shares';
export const VISITS_KEY = '/api/study/supervision';
export const COVERAGE_KEY = '/api/study/supervision/coverage';
export const COMMENDATIONS_KEY = '/api/study/commendations';
export const TOPICS_KEY = '/api/study/topics';
/** The home page's key too: the figures are fetched once for both. */
export const STATS_KEY = '/api/stats';

export type CheckinState = 'not_open' | 'open' | 'closed';

export interface ActivityRow {
  id: string;
  campaignId: string;
  mode: StudyMode;
  modeLabel: string;
  title: string;
  topicId: string | null;
  topicTitle: string | null;
  seriesId: string | null;
  heldOn: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  orgUnitId: string;
  orgUnitName: string;
  partyOrgId: string | null;
  partyOrgName: string | null;
  speaker: string | null;
  speakerPersonId: string | null;
  summary: string | null;
  links: { title: string; url: string; kind: LinkKind }[];
  hours: number;
  expectedCount: number;
  attendedCount: number;
  checkin: CheckinState;
  updatedAt: string;
}

/** The list names the campaign it shows (the server's default when none was asked for). */
export type ActivityPage = Page<ActivityRow> & { campaignId: string | null };

export interface ActivityDetail extends ActivityRow {
  targets: { kind: 'unit' | 'person'; id: string; name: string | null }[];
  attachments: { id: string; name: string; size: number; mime: string }[];
  expectedAttended: number;
  attendanceRate: number | null;
  myAttendance: { method: AttendanceMethod; checkedAt: string; hours: number } | null;
  access: 'staff' | 'participant';
}

export interface AttendanceRow {
  personId: string;
  name: string;
  orgUnitName: string;
  method: AttendanceMethod;
  methodLabel: string;
  checkedAt: string;
  hours: number;
  expected: boolean;
}

export interface AbsentRow {
  personId: string;
  name: string;
  orgUnitName: string;
}

export interface CheckinCode {
  activityId: string;
  title: string;
  code: string;
  url: string;
  svg: string;
  refreshAt: string;
  expiresAt: string;
  state: CheckinState;
  opensAt: string;
  closesAt: string;
}

export interface CheckinResult {
  already: boolean;
  message: string;
  activityId: string;
  title: string;
  heldOn: string;
  hours: number;
  expected: boolean;
}

export interface SeriesDetail {
  id: string;
  campaignId: string;
  title: string;
  mode: StudyMode;
  modeLabel: string;
  orgUnitId: string;
  startsOn: string;
  endsOn: string;
  startTime: string;
  minutes: number;
  rota: { order: number; personId: string; name: string | null; orgUnitName: string | null }[];
  sessions: number;
  held: number;
  upcoming: { id: string; title: string; heldOn: string; startsAt: string; speaker: string | null; expectedCount: number; attendedCount: number }[];
}

export interface MyActivity extends ActivityRow {
  attended: boolean;
  checkedAt: string | null;
  method: AttendanceMethod | null;
  hoursCredited: number;
}

export type MyActivityPage = Page<MyActivity> & { campaignId: string | null; hoursTotal: number; attended: number };

export interface Review {
  id: string;
  activityId: string;
  activityTitle: string;
  personId: string;
  personName: string;
  orgUnitName: string;
  body: string;
  submittedAt: string;
  updatedAt: string;
}

/** What the officer reviews: an activity, with their review of it once written. */
export interface ReviewTarget {
  activityId: string;
  activityTitle: string;
  review: Review | null;
}

export interface Share {
  id: string;
  kind: ShareKind;
  kindLabel: string;
  category: ShareCategory;
  categoryLabel: string;
  title: string;
  body: string | null;
  audioFileId: string | null;
  audioUrl: string | null;
  authorPersonId: string;
  authorName: string;
  orgUnitName: string;
  publishedAt: string;
  publishedOn: string;
  status: 'published' | 'hidden';
  plays: number;
  likes: number;
  likedByMe: boolean;
  mine: boolean;
  orgUnitId: string;
  /** The viewer may hide or restore it (study:write, its unit in their scope). */
  canManage: boolean;
}

export type SharePage = Page<Share> & { campaignId: string | null };

export type FollowUpState = 'none' | 'open' | 'overdue' | 'done';

export interface Visit {
  id: string;
  campaignId: string;
  partyOrgId: string;
  partyOrgName: string;
  orgUnitId: string;
  orgUnitName: string;
  visitedOn: string;
  team: string;
  findings: string;
  followUp: string | null;
  followUpDue: string | null;
  followUpDoneOn: string | null;
  followUpResult: string | null;
  followUpState: FollowUpState;
  followUpStateLabel: string;
  updatedAt: string;
}

export type VisitPage = Page<Visit> & { campaignId: string | null };

export interface Coverage {
  campaignId: string | null;
  total: number;
  covered: number;
  rate: number | null;
  units: { unitId: string | null; unitName: string; total: number; covered: number }[];
  notVisited: { partyOrgId: string; name: string; orgUnitId: string | null; orgUnitName: string | null }[];
}

export interface Commendation {
  id: string;
  campaignId: string | null;
  kind: CommendationKind;
  kindLabel: string;
  partyOrgId: string | null;
  personId: string | null;
  name: string | null;
  orgUnitId: string;
  orgUnitName: string;
  title: string;
  conferredBy: string;
  conferredOn: string;
  reason: string;
}

export interface Topic {
  id: string;
  campaignId: string;
  title: string;
  startsOn: string | null;
  endsOn: string | null;
}

/** study.* of GET /api/stats (the campaign shown by default, in the viewer's scope). */
export interface StudyStats {
  study?: { activitiesByMode: Record<StudyMode, number>; activities: number; attendances: number; hoursTotal: number };
}

/** A campaign's study topics (the activity filter's and form's choices). */
export function useTopics(campaignId: string | null | undefined) {
  return useQuery({
    queryKey: [TOPICS_KEY, { campaignId }],
    queryFn: () => api.get<Page<Topic>>(TOPICS_KEY + qs({ campaignId })),
    select: (d) => d.items,
    enabled: Boolean(campaignId),
    staleTime: 60_000,
  });
}

/** One colour per mode, so the nine read apart in a list. */
export const MODE_COLORS: Record<StudyMode, string> = {
  self_study: 'blue',
  lecture: 'geekblue',
  expert: 'purple',
  secretary_led: 'red',
  reading_film: 'cyan',
  sharing: 'green',
  event_follow: 'volcano',
  supervision: 'gold',
  evaluation: 'magenta',
};

/** '2026-11-23T01:00:00Z' → '09:00' (Beijing). */
export const clock = (iso: string) => formatTime(iso).slice(11);

/** An activity's time: '2026-11-23 09:00–10:30', or both ends in full when it spans days. */
export function timeRange(startsAt: string, endsAt: string): string {
  const from = formatTime(startsAt);
  const to = formatTime(endsAt);
  return from.slice(0, 10) === to.slice(0, 10) ? `${from}–${to.slice(11)}` : `${from} – ${to}`;
}

/**
 * A date-time picker's value as the instant the user meant in Beijing time, whatever the browser's
 * zone: the picker's wall time with +08:00 (the pickers are filled from Beijing wall times, see wall()).
 */
export const beijingInstant = (d: Dayjs) => `${d.format('YYYY-MM-DDTHH:mm')}:00+08:00`;

/** An instant as the Beijing wall time a picker shows ('YYYY-MM-DD HH:mm', for dayjs to parse as local). */
export const wall = (iso: string) => formatTime(iso);

/** The share feed's day heading: 今天, 昨天, or the date. */
export function dayHeading(day: string, labels: { today: string; yesterday: string }): string {
  const today = formatDate(new Date().toISOString());
  const yesterday = formatDate(new Date(Date.now() - 86_400_000).toISOString());
  return day === today ? labels.today : day === yesterday ? labels.yesterday : day;
}

/** Attended of expected as a fraction (at most 1: walk-ins do not push it past everyone). */
export const attendanceRate = (a: { attendedCount: number; expectedCount: number }) =>
  a.expectedCount > 0 ? Math.min(1, a.attendedCount / a.expectedCount) : null;
