// Table types shared by both dialects. Portability choices (see README, "Database"):
// ids are text (UUIDv7, or client-generated later), timestamps are ISO-8601 UTC text,
// booleans are 0/1 integers, structured values are JSON text.

export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  name: string;
  short_name: string | null;
  kind: 'city_bureau' | 'county_bureau' | 'office' | 'department';
  code: string;
  /** Materialised path of ids, '/root/child/', so "unit and below" is one prefix match. */
  path: string;
  depth: number;
  sort: number;
  created_at: string;
  updated_at: string;
}

export interface PartyOrgTable {
  id: string;
  parent_id: string | null;
  name: string;
  kind: 'committee' | 'general_branch' | 'branch';
  org_unit_id: string | null;
  path: string;
  sort: number;
  created_at: string;
  updated_at: string;
}

export interface PersonTable {
  id: string;
  name: string;
  gender: 'M' | 'F' | null;
  birth_date: string | null;
  org_unit_id: string;
  post: string | null;
  party_org_id: string | null;
  police_no: string | null;
  phone_enc: string | null;
  phone_masked: string | null;
  id_no_enc: string | null;
  id_no_masked: string | null;
  /** Keyed SM3 blind index of the ID number: uniqueness and exact lookup without decrypting. */
  id_no_index: string | null;
  status: 'active' | 'transferred' | 'retired';
  created_at: string;
  updated_at: string;
  /** The unit's path, kept by triggers (0004): the people list's order and "unit and below" as one index range. */
  sort_key?: string | null;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  person_id: string | null;
  org_unit_id: string;
  password_hash: string;
  must_change_password: number;
  status: 'active' | 'disabled';
  password_changed_at: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RoleTable {
  id: string;
  code: string;
  name: string;
  description: string | null;
  builtin: number;
  /** JSON array of permission codes. */
  permissions: string;
  data_scope: 'all' | 'unit_and_below' | 'unit' | 'self' | 'custom';
  created_at: string;
  updated_at: string;
}

export interface RoleUnitTable {
  role_id: string;
  org_unit_id: string;
}

export interface UserRoleTable {
  user_id: string;
  role_id: string;
}

export interface SessionTable {
  /** SM3 digest of the cookie token; the token itself is never stored. */
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface LoginLogTable {
  id: string;
  username: string;
  user_id: string | null;
  ip: string | null;
  user_agent: string | null;
  success: number;
  reason: string | null;
  at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface CampaignTable {
  id: string;
  name: string;
  batch: number;
  start_date: string | null;
  end_date: string | null;
  status: 'planned' | 'active' | 'closed';
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface DictTypeTable {
  code: string;
  name: string;
  description: string | null;
  builtin: number;
  created_at: string;
  updated_at: string;
}

export interface DictItemTable {
  id: string;
  type_code: string;
  code: string;
  label: string;
  sort: number;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface AttachmentTable {
  id: string;
  content_hash: string;
  size: number;
  mime: string;
  original_name: string;
  uploaded_by: string | null;
  owner_type: string | null;
  owner_id: string | null;
  created_at: string;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  title: string;
  body: string | null;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export interface JobRunTable {
  name: string;
  period: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'done' | 'failed';
  detail: string | null;
}

/** One row (id 1): goes up with every change to accounts, roles and unit paths (triggers, 0004). */
export interface AuthEpochTable {
  id: number;
  epoch: number;
}

/** Row counts of the endlessly growing tables, kept by triggers (0007): an unfiltered list's total. */
export interface ListTotalTable {
  table_name: string;
  n: number;
}

/** Serving officers (person.status 'active') per unit, kept by triggers (0021): the self-check missing total. */
export interface ServingUnitTotalTable {
  org_unit_id: string;
  n: number;
}

/** Per campaign and unit, serving officers with a signed self-check report, kept by triggers (0021). */
export interface SelfCheckUnitTotalTable {
  campaign_id: string;
  org_unit_id: string;
  n: number;
}

/** One row per distinct character of a person's lower(name) and lower(police_no), kept by triggers (0008): the people search. */
export interface PersonTermTable {
  term: string;
  sort_key: string;
  name: string;
  person_id: string;
  police_no: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface OpinionTable {
  id: string;
  public_no: string;
  campaign_id: string | null;
  receipt_hash: string;
  receipt_enc: string;
  /** Keyed digest of what identifies a retry (public: request id + text; Open311: key + body); never the request id itself. */
  request_digest: string | null;
  channel: string;
  category: string | null;
  suggested_category: string | null;
  suggested_confidence: number | null;
  content: string;
  content_hash: string;
  search_tokens: string;
  simhash: string;
  sh0: number;
  sh1: number;
  sh2: number;
  sh3: number;
  identity: 'named' | 'anonymous';
  submitter_name_enc: string | null;
  submitter_phone_enc: string | null;
  wants_contact: number;
  location_text: string | null;
  lat: number | null;
  lon: number | null;
  status: 'received' | 'assigned' | 'replied' | 'rejected' | 'merged';
  assigned_unit_id: string | null;
  assigned_at: string | null;
  deadline_at: string | null;
  reply_text: string | null;
  replied_at: string | null;
  replied_by: string | null;
  reject_reason: string | null;
  merged_into_id: string | null;
  rating: number | null;
  rating_comment: string | null;
  rated_at: string | null;
  symposium_id: string | null;
  entered_by: string | null;
  source_ip_hash: string | null;
  open311_token: string | null;
  /** Sealed like the phone: Open311 clients (FixMyStreet) always send an email. */
  submitter_email_enc: string | null;
  /** Sealed JSON of Open311 device_id / account_id: identifiers of the person. */
  open311_meta_enc: string | null;
  /** A media URL an Open311 client gave (never fetched); public only where the opinion's text is. */
  media_url: string | null;
  open311_key_id: string | null;
  submitted_at: string;
  created_at: string;
  updated_at: string;
}

export interface OpinionEventTable {
  id: string;
  opinion_id: string;
  at: string;
  kind: string;
  public: number;
  public_text: string | null;
  detail: string | null;
  actor_id: string | null;
}

export interface OpinionAdoptionTable {
  id: string;
  opinion_id: string;
  target: 'ledger' | 'project';
  target_ref: string | null;
  title: string;
  note: string | null;
  status: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SymposiumTable {
  id: string;
  campaign_id: string | null;
  title: string;
  held_on: string;
  host: string;
  location: string | null;
  org_unit_id: string;
  summary: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SymposiumAttendeeTable {
  id: string;
  symposium_id: string;
  kind: 'internal' | 'external';
  person_id: string | null;
  name: string;
  organization: string | null;
}

export interface SurveyTable {
  id: string;
  campaign_id: string | null;
  title: string;
  description: string | null;
  status: 'draft' | 'published' | 'closed';
  one_per_device: number;
  org_unit_id: string;
  created_by: string | null;
  published_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SurveyQuestionTable {
  id: string;
  survey_id: string;
  seq: number;
  kind: 'single' | 'multiple' | 'rating' | 'text';
  title: string;
  /** JSON array of option labels for single/multiple choice. */
  options: string | null;
  required: number;
}

export interface SurveyResponseTable {
  id: string;
  survey_id: string;
  device_hash: string | null;
  /** JSON object: question id -> answer. */
  answers: string;
  submitted_at: string;
}

export interface Open311KeyTable {
  id: string;
  name: string;
  key_hash: string;
  key_hint: string;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface PublicRateTable {
  bucket: string;
  ip_hash: string;
  count: number;
}

export interface SpentChallengeTable {
  hash: string;
  expires_at: string;
}

/** A privileged account change waiting for a second administrator of another duty (三员分立). */
export interface ApprovalRequestTable {
  id: string;
  kind: 'create_user' | 'update_user' | 'reset_password' | 'update_role';
  target_type: 'user' | 'role';
  target_id: string | null;
  summary: string;
  /** JSON of the change as requested (never a password). */
  payload: string;
  requested_by: string;
  /** JSON array of the requester's separated-duty role codes when asking. */
  requester_duties: string;
  requested_at: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  result: string | null;
  /** A one-time password the approval produced, sealed, until the requester collects it once. */
  secret_enc: string | null;
  updated_at: string;
}

// Issue 10's modules keep their table types in files of their own (one per module), joined here.
import type { ServiceTables } from './types-service.js';
import type { VillageTables } from './types-village.js';
import type { CommitmentTables } from './types-commitments.js';
import type { InterferenceTables } from './types-interference.js';
import type { ScreeningTables } from './types-screening.js';

export interface DB extends ServiceTables, VillageTables, CommitmentTables, InterferenceTables, ScreeningTables {
  org_unit: OrgUnitTable;
  party_org: PartyOrgTable;
  person: PersonTable;
  app_user: UserTable;
  role: RoleTable;
  role_unit: RoleUnitTable;
  user_role: UserRoleTable;
  app_session: SessionTable;
  login_log: LoginLogTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  campaign: CampaignTable;
  dict_type: DictTypeTable;
  dict_item: DictItemTable;
  attachment: AttachmentTable;
  notification: NotificationTable;
  job_run: JobRunTable;
  setting: SettingTable;
  auth_epoch: AuthEpochTable;
  list_total: ListTotalTable;
  serving_unit_total: ServingUnitTotalTable;
  self_check_unit_total: SelfCheckUnitTotalTable;
  person_term: PersonTermTable;
  opinion: OpinionTable;
  opinion_event: OpinionEventTable;
  opinion_adoption: OpinionAdoptionTable;
  symposium: SymposiumTable;
  symposium_attendee: SymposiumAttendeeTable;
  survey: SurveyTable;
  survey_question: SurveyQuestionTable;
  survey_response: SurveyResponseTable;
  open311_key: Open311KeyTable;
  public_rate: PublicRateTable;
  spent_challenge: SpentChallengeTable;
  approval_request: ApprovalRequestTable;
  problem_category: ProblemCategoryTable;
  rectification_item: RectificationItemTable;
  rectification_progress: RectificationProgressTable;
  rectification_rating: RectificationRatingTable;
  self_check_report: SelfCheckReportTable;
  talk_round: TalkRoundTable;
  talk: TalkTable;
  talk_participant: TalkParticipantTable;
  life_meeting: LifeMeetingTable;
  life_meeting_attendee: LifeMeetingAttendeeTable;
  life_meeting_problem: LifeMeetingProblemTable;
  clue: ClueTable;
  clue_subject: ClueSubjectTable;
  clue_event: ClueEventTable;
  study_topic: StudyTopicTable;
  study_series: StudySeriesTable;
  study_activity: StudyActivityTable;
  study_activity_target: StudyTargetTable;
  study_attendance: StudyAttendanceTable;
  study_review: StudyReviewTable;
  study_share: StudyShareTable;
  study_share_like: StudyShareLikeTable;
  supervision_visit: SupervisionVisitTable;
  commendation: CommendationTable;
  question: QuestionTable;
  exam: ExamTable;
  exam_target: ExamTargetTable;
  exam_question: ExamQuestionTable;
  exam_attempt: ExamAttemptTable;
  wrong_answer: WrongAnswerTable;
  study_assessment_rule: StudyAssessmentRuleTable;
}

// 查纠整改 (0010_rectification)
export interface ProblemCategoryTable {
  id: string;
  campaign_id: string;
  code: string;
  kind: 'persistent' | 'special' | 'discipline';
  name: string;
  description: string | null;
  sort: number;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface RectificationItemTable {
  id: string;
  campaign_id: string;
  list: 'ledger' | 'project';
  parent_id: string | null;
  /** parent_id, or '' for a top-level item. */
  parent_key: string;
  seq: number;
  child_count: number;
  source: string;
  source_ref: string | null;
  category_id: string | null;
  title: string;
  description: string;
  measures: string | null;
  goal: string | null;
  org_unit_id: string;
  responsible_person_id: string | null;
  mode: 'immediate' | 'concurrent' | 'deadline';
  start_date: string | null;
  deadline: string | null;
  is_public: number;
  weight: number;
  progress: number;
  status: 'not_started' | 'in_progress' | 'done' | 'signed_off';
  completed_at: string | null;
  signed_off_at: string | null;
  signed_off_by: string | null;
  sign_off_note: string | null;
  overdue_noticed_on: string | null;
  rating_count: number;
  rating_sum: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface RectificationProgressTable {
  id: string;
  item_id: string;
  percent: number;
  note: string;
  evidence_count: number;
  actor_id: string | null;
  actor_name: string | null;
  created_at: string;
}

export interface RectificationRatingTable {
  id: string;
  item_id: string;
  rating: number;
  comment: string | null;
  rater_hash: string;
  created_at: string;
}

// 自查事项报告表 (0011_self_checks)
export interface SelfCheckReportTable {
  id: string;
  campaign_id: string;
  person_id: string;
  org_unit_id: string;
  version: number;
  status: 'draft' | 'signed' | 'superseded';
  /** JSON: SelfCheckAnswer[] */
  answers: string;
  declared_count: number;
  free_text: string | null;
  signed_name: string | null;
  content_digest: string | null;
  signed_at: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_note: string | null;
  created_at: string;
  updated_at: string;
}

// 谈心谈话 and 民主生活会 (0012_talks_meetings)
export interface TalkRoundTable {
  id: string;
  campaign_id: string;
  round: number;
  name: string;
  start_date: string | null;
  end_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface TalkTable {
  id: string;
  round_id: string;
  talker_person_id: string;
  org_unit_id: string;
  held_on: string;
  reason: string | null;
  /** JSON array of topic codes */
  topics: string;
  summary: string;
  follow_up: string | null;
  talkee_count: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface TalkParticipantTable {
  talk_id: string;
  round_id: string;
  person_id: string;
  role: 'talker' | 'talkee';
}

export interface LifeMeetingTable {
  id: string;
  campaign_id: string;
  org_unit_id: string;
  title: string;
  held_on: string;
  host: string;
  location: string | null;
  summary: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface LifeMeetingAttendeeTable {
  meeting_id: string;
  person_id: string;
}

export interface LifeMeetingProblemTable {
  id: string;
  meeting_id: string;
  kind: 'self_criticism' | 'criticism' | 'found';
  person_id: string | null;
  description: string;
  item_id: string | null;
  created_at: string;
}

// 问题线索 (0013_clues)
export interface ClueTable {
  id: string;
  clue_no: string;
  campaign_id: string;
  source: string;
  category_id: string | null;
  org_unit_id: string;
  summary_enc: string;
  reporter_name_enc: string | null;
  reporter_phone_enc: string | null;
  received_on: string;
  stage: 'registered' | 'disposing' | 'verified' | 'closed';
  disposal_method: string | null;
  disposal_due: string | null;
  stage_due: string | null;
  verification_outcome: string | null;
  verified_on: string | null;
  disposition: string | null;
  closed_on: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ClueSubjectTable {
  clue_id: string;
  person_id: string | null;
  org_unit_id: string;
  seq: number;
}

export interface ClueEventTable {
  id: string;
  clue_id: string;
  at: string;
  kind: string;
  note_enc: string | null;
  actor_id: string | null;
  actor_name: string | null;
}

// --- 学习教育 (0014) ---
export type StudyModeCode =
  | 'self_study' | 'lecture' | 'expert' | 'secretary_led' | 'reading_film' | 'sharing' | 'event_follow' | 'supervision' | 'evaluation';

export interface StudyTopicTable {
  id: string;
  campaign_id: string;
  title: string;
  description: string | null;
  starts_on: string | null;
  ends_on: string | null;
  online_weight: number;
  offline_weight: number;
  pass_score: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface StudySeriesTable {
  id: string;
  campaign_id: string;
  title: string;
  mode: StudyModeCode;
  org_unit_id: string;
  starts_on: string;
  ends_on: string;
  start_time: string;
  minutes: number;
  rota: string;
  created_by: string | null;
  created_at: string;
}

export interface StudyActivityTable {
  id: string;
  campaign_id: string;
  topic_id: string | null;
  series_id: string | null;
  mode: StudyModeCode;
  title: string;
  held_on: string;
  starts_at: string;
  ends_at: string;
  place: string | null;
  org_unit_id: string;
  party_org_id: string | null;
  speaker: string | null;
  speaker_person_id: string | null;
  summary: string | null;
  links: string;
  hours_tenths: number;
  checkin_secret: string;
  expected_count: number;
  attended_count: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** Expected participants of an activity (activity_id) or an exam (exam_id): whole units or named people. */
export interface StudyTargetTable {
  activity_id: string;
  kind: 'unit' | 'person';
  target_id: string;
}

export interface ExamTargetTable {
  exam_id: string;
  kind: 'unit' | 'person';
  target_id: string;
}

export interface StudyAttendanceTable {
  activity_id: string;
  person_id: string;
  method: 'qr' | 'list';
  checked_at: string;
  held_on: string;
  hours_tenths: number;
  recorded_by: string | null;
}

export interface StudyReviewTable {
  id: string;
  activity_id: string;
  person_id: string;
  org_unit_id: string;
  body: string;
  submitted_at: string;
  updated_at: string;
}

export interface StudyShareTable {
  id: string;
  campaign_id: string;
  kind: 'text' | 'audio';
  category: 'reading' | 'red_story' | 'feeling' | 'other';
  title: string;
  body: string | null;
  audio_file_id: string | null;
  author_person_id: string;
  org_unit_id: string;
  published_on: string;
  published_at: string;
  status: 'published' | 'hidden';
  plays: number;
  likes: number;
  created_by: string | null;
  updated_at: string;
}

export interface StudyShareLikeTable {
  share_id: string;
  person_id: string;
  at: string;
}

export interface SupervisionVisitTable {
  id: string;
  campaign_id: string;
  party_org_id: string;
  org_unit_id: string;
  visited_on: string;
  team: string;
  findings: string;
  follow_up: string | null;
  follow_up_due: string | null;
  follow_up_done_on: string | null;
  follow_up_result: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CommendationTable {
  id: string;
  campaign_id: string | null;
  kind: 'party_org' | 'person';
  party_org_id: string | null;
  person_id: string | null;
  org_unit_id: string;
  title: string;
  conferred_by: string;
  conferred_on: string;
  reason: string;
  created_by: string | null;
  created_at: string;
}

export type QuestionType = 'single' | 'multiple' | 'judge' | 'blank' | 'essay';

export interface QuestionTable {
  id: string;
  topic_id: string;
  type: QuestionType;
  difficulty: 1 | 2 | 3;
  stem: string;
  options: string;
  answer: string;
  explanation: string | null;
  status: 'active' | 'retired';
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExamTable {
  id: string;
  topic_id: string;
  kind: 'online_objective' | 'offline_subjective';
  title: string;
  org_unit_id: string;
  opens_at: string;
  closes_at: string;
  duration_minutes: number | null;
  full_score: number;
  pass_score: number;
  paper_mode: 'fixed' | 'random' | null;
  rules: string;
  shuffle_questions: number;
  shuffle_options: number;
  status: 'draft' | 'published';
  expected_count: number;
  /** Counters kept with the attempts (exams.ts applyAttemptDelta); scores in tenths. */
  attempts_count?: number;
  submitted_count?: number;
  graded_count?: number;
  passed_count?: number;
  score_total?: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExamQuestionTable {
  exam_id: string;
  question_id: string;
  seq: number;
  points: number;
}

export interface ExamAttemptTable {
  id: string;
  exam_id: string;
  person_id: string;
  org_unit_id: string;
  paper: string;
  answers: string;
  marks: string;
  started_at: string | null;
  deadline_at: string | null;
  saved_at: string | null;
  submitted_at: string | null;
  status: 'in_progress' | 'submitted' | 'graded';
  /** Tenths of a point: exact sums on both dialects. */
  auto_score: number;
  score: number | null;
  passed: number | null;
  tab_switches: number;
  graded_by: string | null;
  graded_at: string | null;
  version: number;
  updated_at: string;
}

export interface WrongAnswerTable {
  person_id: string;
  question_id: string;
  exam_id: string;
  answer: string;
  times: number;
  last_at: string;
}

export interface StudyAssessmentRuleTable {
  year: number;
  config: string;
  updated_by: string | null;
  updated_at: string;
}
