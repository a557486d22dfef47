import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Client, type Res, type TestServer } from '../support/http.js';
import { targets } from '../support/db.js';
import { routeRegistry } from '../../src/server/platform/http.js';
import { BUILTIN_ROLES } from '../../src/shared/permissions.js';

// The product's specification of who may do what, written by hand and on purpose NOT derived from
// src/shared/permissions.ts: a wrong role table must fail here. Every route the server registers
// needs a row (a new route without one fails), and every built-in role a column.
//
// The roles, as the product means them:
//   sysadmin         系统管理员: business foundation data (org, party orgs, people, dictionaries,
//                    campaigns); decides privileged changes. Never accounts, roles, sessions or logs.
//   secadmin         安全管理员: accounts, roles, sessions, Open311 keys; files privileged changes for
//                    approval. Reads people/org only to attach accounts. Never business writes or logs.
//   auditor          审计管理员: reads the audit and login logs; decides privileged changes. Writes nothing else.
//   campaign_office  整顿办: runs the campaign city-wide (campaigns, opinions end to end, reporters'
//                    identities, symposiums, surveys, the ledger and its sign-off, figures); reads
//                    people; never the foundation data.
//   unit_admin       单位管理员: its own unit and below: people and their everyday accounts, opinions
//                    assigned to it (enter, reply), its symposiums, its ledger items and their
//                    progress (not sign-off); reads surveys and figures.
//   officer          干警: themself only: own record, dictionaries, campaigns, own uploads and notices,
//                    the ledger items they answer for.
//   clue_handler     线索管理员: registers and handles problem clues (never one about themself), looks
//                    people and units up, dictionaries, campaigns, uploads; no opinions, figures,
//                    accounts or logs.
//
// "Allowed" means the route lets the role through its door (the answer is not 401 and not the
// permission denial 403 FORBIDDEN); record-level rules (own notification, own approval request,
// scope) are the modules' own tests. "Denied" means exactly 403 FORBIDDEN; anonymous callers get 401
// on every non-public route.

const SYS = 'sysadmin';
const SEC = 'secadmin';
const AUD = 'auditor';
const OFFICE = 'campaign_office';
const UNIT = 'unit_admin';
const OFFICER = 'officer';
const CLUE = 'clue_handler';
const ROLES = [SYS, SEC, AUD, OFFICE, UNIT, OFFICER, CLUE] as const;
type Role = (typeof ROLES)[number];

const LOGIN_OF: Record<Role, string> = {
  sysadmin: 'admin',
  secadmin: 'secadmin',
  auditor: 'auditor',
  campaign_office: 'office',
  unit_admin: 'unitadmin',
  officer: 'officer',
  clue_handler: 'cluehandler',
};

/** 'public': anyone, signed in or not; 'signed-in': every role; otherwise exactly these roles. */
type Who = 'public' | 'signed-in' | readonly Role[];
const PUBLIC = 'public' as const;
const ANY = 'signed-in' as const;

const SPEC: Record<string, Who> = {
  // Platform and sign-in
  'GET /api/health': PUBLIC,
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/logout': ANY,
  'GET /api/me': ANY,
  'POST /api/auth/password': ANY,

  // 组织机构: everyone who works with units reads the tree; only the system admin shapes it.
  // An officer has no use for the tree (their own unit comes with their record).
  'GET /api/org-units': [SYS, SEC, AUD, OFFICE, UNIT, CLUE],
  'POST /api/org-units': [SYS],
  'PATCH /api/org-units/:id': [SYS],
  'DELETE /api/org-units/:id': [SYS],
  // 党组织: readable wherever people are (a person's party organisation is part of their record).
  'GET /api/party-orgs': [SYS, SEC, OFFICE, UNIT, OFFICER, CLUE],
  'POST /api/party-orgs': [SYS],
  'PATCH /api/party-orgs/:id': [SYS],
  'DELETE /api/party-orgs/:id': [SYS],

  // 干警: read within scope by whoever must find a person (the security admin to attach an account,
  // the clue handler to identify a subject, an officer themself); kept by the system admin and the
  // unit admins; exported by those who run or report on the campaign. Never by the auditor.
  'GET /api/people': [SYS, SEC, OFFICE, UNIT, OFFICER, CLUE],
  'GET /api/people/:id': [SYS, SEC, OFFICE, UNIT, OFFICER, CLUE],
  'GET /api/people/import-template': [SYS, UNIT],
  'POST /api/people/import': [SYS, UNIT],
  'GET /api/people/export': [SYS, OFFICE, UNIT],
  'POST /api/people': [SYS, UNIT],
  'PATCH /api/people/:id': [SYS, UNIT],
  'DELETE /api/people/:id': [SYS, UNIT],

  // 账号与角色: the security admin, and a unit admin for its own unit's everyday accounts.
  'GET /api/users': [SEC, UNIT],
  'GET /api/users/:id': [SEC, UNIT],
  'POST /api/users': [SEC, UNIT],
  'PATCH /api/users/:id': [SEC, UNIT],
  'POST /api/users/:id/reset-password': [SEC, UNIT],
  // A unit admin reads the roles it hands out; only the security admin changes them.
  'GET /api/roles': [SEC, UNIT],
  'GET /api/permissions': [SEC, UNIT],
  'POST /api/roles': [SEC],
  'PATCH /api/roles/:id': [SEC],
  'DELETE /api/roles/:id': [SEC],
  'GET /api/sessions': [SEC],
  'DELETE /api/sessions/:id': [SEC],

  // 审计: the auditor alone.
  'GET /api/audit-logs': [AUD],
  'GET /api/audit-logs/verify': [AUD],
  'GET /api/audit-logs/export': [AUD],
  'GET /api/login-logs': [AUD],
  'GET /api/login-logs/export': [AUD],

  // 数据字典: read by everyone (every form's choices), kept by the system admin.
  'GET /api/dicts': ANY,
  'GET /api/dicts/all': ANY,
  'GET /api/dicts/:type/items': ANY,
  'POST /api/dicts': [SYS],
  'PATCH /api/dicts/:type': [SYS],
  'POST /api/dicts/:type/items': [SYS],
  'PATCH /api/dicts/:type/items/:id': [SYS],
  'DELETE /api/dicts/:type/items/:id': [SYS],

  // 教育整顿批次: the campaign's people read it; 整顿办 runs it, the system admin keeps the record.
  'GET /api/campaigns': [SYS, OFFICE, UNIT, OFFICER, CLUE],
  'GET /api/campaigns/:id': [SYS, OFFICE, UNIT, OFFICER, CLUE],
  'POST /api/campaigns': [SYS, OFFICE],
  'PATCH /api/campaigns/:id': [SYS, OFFICE],

  // Attachments: uploaded by whoever writes business records (not the security admin or auditor);
  // reading a file is decided per file by the record it belongs to.
  'POST /api/files': [SYS, OFFICE, UNIT, OFFICER, CLUE],
  'GET /api/files/:id': ANY,
  'GET /api/files/:id/meta': ANY,

  // Own notifications.
  'GET /api/notifications': ANY,
  'POST /api/notifications/read-all': ANY,
  'POST /api/notifications/:id/read': ANY,

  // Headline figures: leaders and administrators of the business, within scope. The figures'
  // names (no figures) are for every page that shows one.
  'GET /api/stats': [SYS, OFFICE, UNIT],
  'GET /api/stats/labels': ANY,

  // 开门纳谏: 整顿办 runs it; a unit sees, enters and answers what is its own; nobody else reads
  // opinions (the system admin keeps foundation data, not the campaign's cases).
  'GET /api/opinions': [OFFICE, UNIT],
  'GET /api/opinions/stats': [OFFICE, UNIT],
  'GET /api/opinions/export': [OFFICE, UNIT],
  'POST /api/opinions/similar': [OFFICE, UNIT],
  'GET /api/opinions/:id': [OFFICE, UNIT],
  'GET /api/opinions/:id/identity': [OFFICE],
  'POST /api/opinions': [OFFICE, UNIT],
  'POST /api/opinions/:id/categorize': [OFFICE],
  'POST /api/opinions/:id/assign': [OFFICE],
  'POST /api/opinions/:id/merge': [OFFICE],
  'POST /api/opinions/:id/reject': [OFFICE],
  'POST /api/opinions/:id/adopt': [OFFICE],
  'POST /api/opinions/:id/reply': [OFFICE, UNIT],
  'GET /api/public/meta': PUBLIC,
  'GET /api/public/challenge': PUBLIC,
  'POST /api/public/files': PUBLIC,
  'POST /api/public/opinions': PUBLIC,
  'GET /api/public/opinions/:code': PUBLIC,
  'POST /api/public/opinions/:code/rating': PUBLIC,

  // 座谈会: held by 整顿办 and by units.
  'GET /api/symposiums': [OFFICE, UNIT],
  'GET /api/symposiums/:id': [OFFICE, UNIT],
  'POST /api/symposiums': [OFFICE, UNIT],
  'PATCH /api/symposiums/:id': [OFFICE, UNIT],
  'POST /api/symposiums/:id/opinions': [OFFICE, UNIT],

  // 调查问卷: designed and published by 整顿办; units read the results of their own.
  'GET /api/surveys': [OFFICE, UNIT],
  'GET /api/surveys/:id': [OFFICE, UNIT],
  'GET /api/surveys/:id/results': [OFFICE, UNIT],
  'GET /api/surveys/:id/export': [OFFICE, UNIT],
  'POST /api/surveys': [OFFICE],
  'PATCH /api/surveys/:id': [OFFICE],
  'POST /api/surveys/:id/publish': [OFFICE],
  'POST /api/surveys/:id/close': [OFFICE],
  'GET /api/public/surveys': PUBLIC,
  'GET /api/public/surveys/:id': PUBLIC,
  'POST /api/public/surveys/:id/responses': PUBLIC,

  // Open311 keys are credentials: the security admin's.
  'GET /api/open311/keys': [SEC],
  'POST /api/open311/keys': [SEC],
  'DELETE /api/open311/keys/:id': [SEC],

  // 特权变更审批: the three administrators see the queue (a requester only their own requests);
  // the system admin and the auditor decide; withdrawing and collecting are the requester's
  // (record-level: only the request's own requester, checked by the module).
  'GET /api/approvals': [SYS, SEC, AUD],
  'GET /api/approvals/:id': [SYS, SEC, AUD],
  'POST /api/approvals/:id/approve': [SYS, AUD],
  'POST /api/approvals/:id/reject': [SYS, AUD],
  'POST /api/approvals/:id/cancel': [SYS, SEC, AUD],
  'POST /api/approvals/:id/collect': [SYS, SEC, AUD],

  // 整治台账 / 项目清单: kept by 整顿办 city-wide and by units for their own items; an officer reads
  // the items they answer for; only 整顿办 signs items off and edits the "7+2" catalogue. The
  // foundation roles and the clue handler have no business in it.
  'GET /api/rectification/categories': [OFFICE, UNIT, OFFICER, CLUE],
  'POST /api/rectification/categories/defaults': [OFFICE],
  'POST /api/rectification/categories': [OFFICE],
  'PATCH /api/rectification/categories/:id': [OFFICE],
  'GET /api/rectification/items': [OFFICE, UNIT, OFFICER],
  'GET /api/rectification/items/export': [OFFICE, UNIT, OFFICER],
  'GET /api/rectification/items/import-template': [OFFICE, UNIT],
  'POST /api/rectification/items/import': [OFFICE, UNIT],
  'GET /api/rectification/items/:id': [OFFICE, UNIT, OFFICER],
  'POST /api/rectification/items': [OFFICE, UNIT],
  'PATCH /api/rectification/items/:id': [OFFICE, UNIT],
  'POST /api/rectification/items/:id/progress': [OFFICE, UNIT],
  'POST /api/rectification/items/:id/sign-off': [OFFICE],
  // 自查事项报告表: everyone with a person record fills their own (office, unit admin, officer); units
  // see who has and has not submitted and chase them; only 整顿办 reads and reviews what people declared.
  'GET /api/self-checks/mine': [OFFICE, UNIT, OFFICER],
  'PUT /api/self-checks/mine': [OFFICE, UNIT, OFFICER],
  'POST /api/self-checks/mine/sign': [OFFICE, UNIT, OFFICER],
  'GET /api/self-checks/coverage': [OFFICE, UNIT],
  'GET /api/self-checks/missing': [OFFICE, UNIT],
  'POST /api/self-checks/remind': [OFFICE, UNIT],
  'GET /api/self-checks': [OFFICE],
  'GET /api/self-checks/:id': [OFFICE, UNIT, OFFICER],
  'POST /api/self-checks/:id/review': [OFFICE],
  // 谈心谈话 and 民主生活会: recorded by 整顿办 and by units for their own people; rounds are set per
  // campaign by whoever runs campaigns (整顿办).
  'GET /api/talks/rounds': [OFFICE, UNIT],
  'POST /api/talks/rounds': [SYS, OFFICE],
  'GET /api/talks/coverage': [OFFICE, UNIT],
  'GET /api/talks/missing': [OFFICE, UNIT],
  'GET /api/talks': [OFFICE, UNIT],
  'GET /api/talks/:id': [OFFICE, UNIT],
  'POST /api/talks': [OFFICE, UNIT],
  'PATCH /api/talks/:id': [OFFICE, UNIT],
  // 为民服务: the campaign office city-wide, county admins in their unit and below.
  'GET /api/service/measures': [OFFICE, UNIT],
  'GET /api/service/measures/:id': [OFFICE, UNIT],
  'POST /api/service/measures': [OFFICE, UNIT],
  'PATCH /api/service/measures/:id': [OFFICE, UNIT],
  'POST /api/service/measures/:id/milestones': [OFFICE, UNIT],
  'PATCH /api/service/milestones/:id': [OFFICE, UNIT],
  'POST /api/service/measures/:id/progress': [OFFICE, UNIT],
  'GET /api/service/workstations': [OFFICE, UNIT],
  'POST /api/service/workstations': [OFFICE, UNIT],
  'PATCH /api/service/workstations/:id': [OFFICE, UNIT],
  'GET /api/service/served': [OFFICE, UNIT],
  'GET /api/service/enterprises': [OFFICE, UNIT],
  'POST /api/service/enterprises': [OFFICE, UNIT],
  'PATCH /api/service/enterprises/:id': [OFFICE, UNIT],
  'GET /api/service/records': [OFFICE, UNIT],
  'GET /api/service/records/export': [OFFICE, UNIT],
  'GET /api/service/records/:id': [OFFICE, UNIT],
  'POST /api/service/records': [OFFICE, UNIT],
  'PATCH /api/service/records/:id': [OFFICE, UNIT],
  'GET /api/public/service-measures': PUBLIC,
  'GET /api/life-meetings': [OFFICE, UNIT],
  'GET /api/life-meetings/:id': [OFFICE, UNIT],
  'POST /api/life-meetings': [OFFICE, UNIT],
  // 法律志愿服务进乡村“1155”工程: the office city-wide and county admins for their own people keep villages,
  // pairings and deliverables; every cadre (the officer) records services and visits on their own pairing
  // and sees its board line (scope self).
  'GET /api/village/villages': [OFFICE, UNIT],
  'POST /api/village/villages': [OFFICE, UNIT],
  'GET /api/village/pairings': [OFFICE, UNIT],
  'POST /api/village/pairings': [OFFICE, UNIT],
  'GET /api/village/pairings/:id': [OFFICE, UNIT, OFFICER],
  'POST /api/village/pairings/:id/end': [OFFICE, UNIT],
  'PUT /api/village/pairings/:id/deliverables/:kind': [OFFICE, UNIT],
  'GET /api/village/mine': [OFFICE, UNIT, OFFICER],
  'GET /api/village/records': [OFFICE, UNIT, OFFICER],
  'GET /api/village/records/:id': [OFFICE, UNIT, OFFICER],
  'POST /api/village/records': [OFFICE, UNIT, OFFICER],
  'PUT /api/village/photos/:id': [OFFICE, UNIT, OFFICER],
  'GET /api/village/board': [OFFICE, UNIT, OFFICER],
  // 问题线索 are the clue handler's alone; 整顿办 (leaders) see how many, never which.
  'GET /api/clues': [CLUE],
  'GET /api/clues/stats': [OFFICE, CLUE],
  'GET /api/clues/:id': [CLUE],
  'POST /api/clues': [CLUE],
  'POST /api/clues/:id/dispose': [CLUE],
  'POST /api/clues/:id/verify': [CLUE],
  'POST /api/clues/:id/close': [CLUE],
  // “三个规定”记录报告: every officer records their own or files a 零报告 (and opens their own records);
  // only 整顿办 reads others' records (restricted, audited); 整顿办 and county admins see coverage and counts.
  'GET /api/interference/mine': [OFFICE, UNIT, OFFICER],
  'GET /api/interference/mine/records': [OFFICE, UNIT, OFFICER],
  'POST /api/interference/records': [OFFICE, UNIT, OFFICER],
  'POST /api/interference/zero-reports': [OFFICE, UNIT, OFFICER],
  'GET /api/interference/records': [OFFICE],
  'GET /api/interference/records/:id': [OFFICE, UNIT, OFFICER],
  'GET /api/interference/coverage': [OFFICE, UNIT],
  'GET /api/interference/missing': [OFFICE, UNIT],
  'POST /api/interference/remind': [OFFICE, UNIT],
  'GET /api/interference/stats': [OFFICE, UNIT],
  // 制度文件: every officer reads and acknowledges; 整顿办 publishes, revises and follows who has read.
  'GET /api/policies': [OFFICE, UNIT, OFFICER],
  'GET /api/policies/:id': [OFFICE, UNIT, OFFICER],
  'POST /api/policies': [OFFICE],
  'POST /api/policies/:id/versions': [OFFICE],
  'POST /api/policies/:id/acknowledge': [OFFICE, UNIT, OFFICER],
  'GET /api/policies/:id/coverage': [OFFICE],
  'GET /api/policies/:id/missing': [OFFICE],
  // 智能化数据排查: the registers, rules, runs and hits are the clue handlers' alone (restricted like clues).
  'GET /api/screening/datasets': [CLUE],
  'GET /api/screening/datasets/:kind/template': [CLUE],
  'POST /api/screening/datasets/:kind/import': [CLUE],
  'GET /api/screening/snapshots': [CLUE],
  'GET /api/screening/rules': [CLUE],
  'POST /api/screening/rules': [CLUE],
  'PATCH /api/screening/rules/:code': [CLUE],
  'GET /api/screening/rules/:code/versions': [CLUE],
  'POST /api/screening/runs': [CLUE],
  'GET /api/screening/runs': [CLUE],
  'GET /api/screening/hits': [CLUE],
  'GET /api/screening/hits/:id': [CLUE],
  'POST /api/screening/hits/:id/confirm': [CLUE],
  'POST /api/screening/hits/:id/dismiss': [CLUE],
  'POST /api/screening/hits/:id/known': [CLUE],
  // 学习教育
  // 学习活动（九学）: the office and the units organise, record attendance, supervise and commend (their own
  // scope); every officer checks in by the session's QR code, posts shares, likes and listens, writes 观评
  // and opens the activities they were expected at or attended.
  'GET /api/study/activities': [OFFICE, UNIT],
  'POST /api/study/activities': [OFFICE, UNIT],
  'GET /api/study/activities/:id': [OFFICE, UNIT, OFFICER],
  'PATCH /api/study/activities/:id': [OFFICE, UNIT],
  'GET /api/study/activities/:id/attendance': [OFFICE, UNIT],
  'GET /api/study/activities/:id/absent': [OFFICE, UNIT],
  'POST /api/study/activities/:id/attendance': [OFFICE, UNIT],
  'DELETE /api/study/activities/:id/attendance/:personId': [OFFICE, UNIT],
  'GET /api/study/activities/:id/checkin-code': [OFFICE, UNIT],
  'POST /api/study/checkin': [OFFICE, UNIT, OFFICER],
  'GET /api/study/my/activities': [OFFICE, UNIT, OFFICER],
  'POST /api/study/series': [OFFICE, UNIT],
  'GET /api/study/series/:id': [OFFICE, UNIT],
  'PUT /api/study/activities/:id/review': [OFFICE, UNIT, OFFICER],
  'GET /api/study/activities/:id/reviews': [OFFICE, UNIT],
  'GET /api/study/my/reviews': [OFFICE, UNIT, OFFICER],
  'GET /api/study/shares': [OFFICE, UNIT, OFFICER],
  'POST /api/study/shares': [OFFICE, UNIT, OFFICER],
  'POST /api/study/shares/:id/play': [OFFICE, UNIT, OFFICER],
  'POST /api/study/shares/:id/like': [OFFICE, UNIT, OFFICER],
  'DELETE /api/study/shares/:id/like': [OFFICE, UNIT, OFFICER],
  'POST /api/study/shares/:id/hide': [OFFICE, UNIT],
  'POST /api/study/shares/:id/unhide': [OFFICE, UNIT],
  'GET /api/study/supervision': [OFFICE, UNIT],
  'GET /api/study/supervision/coverage': [OFFICE, UNIT],
  'GET /api/study/supervision/:id': [OFFICE, UNIT],
  'POST /api/study/supervision': [OFFICE, UNIT],
  'PATCH /api/study/supervision/:id': [OFFICE, UNIT],
  'POST /api/study/supervision/:id/follow-up-done': [OFFICE, UNIT],
  'GET /api/study/commendations': [OFFICE, UNIT],
  'POST /api/study/commendations': [OFFICE, UNIT],
  'PATCH /api/study/commendations/:id': [OFFICE, UNIT],
  // 专题 are read by everyone who studies; the question bank shows the answers, so only those who
  // keep it (exams:write) read it — never an officer who takes the exams.
  'GET /api/study/topics': [OFFICE, UNIT, OFFICER],
  'GET /api/study/topics/:id': [OFFICE, UNIT, OFFICER],
  'POST /api/study/topics': [OFFICE, UNIT],
  'PUT /api/study/topics/:id': [OFFICE, UNIT],
  'GET /api/study/questions': [OFFICE, UNIT],
  'GET /api/study/questions/template': [OFFICE, UNIT],
  'GET /api/study/questions/export': [OFFICE, UNIT],
  'POST /api/study/questions/import': [OFFICE, UNIT],
  'GET /api/study/questions/:id': [OFFICE, UNIT],
  'POST /api/study/questions': [OFFICE, UNIT],
  'PUT /api/study/questions/:id': [OFFICE, UNIT],
  'POST /api/study/questions/:id/retire': [OFFICE, UNIT],
  'POST /api/study/questions/:id/restore': [OFFICE, UNIT],
  // Exams: organisers (exams:read / exams:write) see results within their scope and mark; everyone
  // who studies takes their own; the assessment's formula and export are the office's.
  'GET /api/study/exams': [OFFICE, UNIT],
  'GET /api/study/exams/:id': [OFFICE, UNIT],
  'POST /api/study/exams': [OFFICE, UNIT],
  'PUT /api/study/exams/:id': [OFFICE, UNIT],
  'DELETE /api/study/exams/:id': [OFFICE, UNIT],
  'GET /api/study/exams/:id/results': [OFFICE, UNIT],
  'GET /api/study/exams/:id/results/export': [OFFICE, UNIT],
  'GET /api/study/exams/:id/expected': [OFFICE, UNIT],
  'POST /api/study/exams/:id/scores': [OFFICE, UNIT],
  'GET /api/study/exams/:id/scores/template': [OFFICE, UNIT],
  'POST /api/study/exams/:id/scores/import': [OFFICE, UNIT],
  'GET /api/study/attempts/:id': [OFFICE, UNIT],
  'POST /api/study/attempts/:id/marks': [OFFICE, UNIT],
  'GET /api/study/topics/:id/results': [OFFICE, UNIT],
  'GET /api/study/my/exams': [OFFICE, UNIT, OFFICER],
  'POST /api/study/exams/:id/start': [OFFICE, UNIT, OFFICER],
  'GET /api/study/my/attempts/:id': [OFFICE, UNIT, OFFICER],
  'PUT /api/study/my/attempts/:id/answers': [OFFICE, UNIT, OFFICER],
  'POST /api/study/my/attempts/:id/submit': [OFFICE, UNIT, OFFICER],
  'GET /api/study/my/wrong-answers': [OFFICE, UNIT, OFFICER],
  'GET /api/study/my/archive': [OFFICE, UNIT, OFFICER],
  'GET /api/study/my/archive/export': [OFFICE, UNIT, OFFICER],
  'GET /api/study/archives/:personId': [OFFICE, UNIT],
  'GET /api/study/archives/:personId/export': [OFFICE, UNIT],
  'GET /api/study/archive-summary': [OFFICE, UNIT],
  'GET /api/study/assessment': [OFFICE, UNIT],
  'GET /api/study/assessment/export': [OFFICE],
  'GET /api/study/assessment/rules/:year': [OFFICE, UNIT],
  'PUT /api/study/assessment/rules/:year': [OFFICE],
  // 证明事项告知承诺制 and 案件受理: the office city-wide, a county's administrator for its own units.
  'GET /api/commitments/items': [OFFICE, UNIT],
  'POST /api/commitments/items': [OFFICE, UNIT],
  'PATCH /api/commitments/items/:id': [OFFICE, UNIT],
  'GET /api/commitments': [OFFICE, UNIT],
  'GET /api/commitments/export': [OFFICE, UNIT],
  'GET /api/commitments/stats': [OFFICE, UNIT],
  'GET /api/commitments/dishonesty': [OFFICE, UNIT],
  'POST /api/commitments/dishonesty/:id/lift': [OFFICE, UNIT],
  'GET /api/commitments/:id': [OFFICE, UNIT],
  'POST /api/commitments': [OFFICE, UNIT],
  'POST /api/commitments/:id/verification': [OFFICE, UNIT],
  'GET /api/cases/overdue': [OFFICE, UNIT],
  'GET /api/cases/reconsiderations': [OFFICE, UNIT],
  'GET /api/cases/reconsiderations/:id': [OFFICE, UNIT],
  'POST /api/cases/reconsiderations': [OFFICE, UNIT],
  'POST /api/cases/reconsiderations/:id/acceptance': [OFFICE, UNIT],
  'POST /api/cases/reconsiderations/:id/extension': [OFFICE, UNIT],
  'POST /api/cases/reconsiderations/:id/decision': [OFFICE, UNIT],
  'POST /api/cases/reconsiderations/:id/withdrawal': [OFFICE, UNIT],
  'GET /api/cases/mediations': [OFFICE, UNIT],
  'GET /api/cases/mediations/:id': [OFFICE, UNIT],
  'POST /api/cases/mediations': [OFFICE, UNIT],
  'POST /api/cases/mediations/:id/close': [OFFICE, UNIT],
  'POST /api/cases/mediations/:id/withdrawal': [OFFICE, UNIT],
  'GET /api/public/rectification': PUBLIC,
  'GET /api/public/rectification/rates': PUBLIC,
  'GET /api/public/rectification/follow/:code': PUBLIC,
  'GET /api/public/rectification/:id': PUBLIC,
  'POST /api/public/rectification/:id/rating': PUBLIC,
};

function allows(who: Who, role: Role | null): boolean {
  if (who === PUBLIC) return true;
  if (role === null) return false;
  return who === ANY || who.includes(role);
}

function concrete(url: string) {
  return url.replace(/:[A-Za-z]+/g, 'no-such-id').replace(/\*$/, 'x');
}

const brief = (body: unknown) => JSON.stringify(body)?.slice(0, 200);

function isPermissionDenial(r: Res) {
  return r.status === 403 && r.body?.error === 'FORBIDDEN' && r.body?.message === '没有权限执行此操作';
}

async function call(c: Client, key: string) {
  const [method, url] = key.split(' ') as [string, string];
  return c.request(method, concrete(url), method === 'GET' || method === 'DELETE' ? undefined : {});
}

/** What happened, judged against the specification; null when it agrees. */
function verdict(key: string, role: Role | null, res: Res): string | null {
  const want = allows(SPEC[key]!, role);
  const who = role ?? 'anonymous';
  if (res.status >= 500) return `${who} ${key}: server error ${res.status}`;
  if (!want) {
    if (role === null) return res.status === 401 ? null : `${who} ${key}: expected 401, got ${res.status}`;
    return isPermissionDenial(res) ? null : `${who} ${key}: expected 403 FORBIDDEN, got ${res.status} ${brief(res.body)}`;
  }
  if (res.status === 401 || isPermissionDenial(res)) return `${who} ${key}: expected to be let through, got ${res.status} ${brief(res.body)}`;
  // A list or page without path parameters must simply answer for those allowed.
  const [method, url] = key.split(' ') as [string, string];
  if (method === 'GET' && !url.includes(':') && res.status !== 200) return `${who} ${key}: expected 200, got ${res.status}`;
  return null;
}

// Logging in and out changes the caller's own session: checked with sessions of their own below.
const OWN_SESSION = new Set(['POST /api/auth/login', 'POST /api/auth/logout']);

describe('authorisation specification', () => {
  it('has a column for every built-in role and nothing else', () => {
    expect(BUILTIN_ROLES.map((r) => r.code).sort()).toEqual([...ROLES].sort());
  });
});

describe.each(targets())('authorisation matrix on %s', (target) => {
  let s: TestServer;
  const clients = new Map<Role, Client>();
  beforeAll(async () => {
    s = await startServer(target);
    for (const role of ROLES) clients.set(role, await s.as(LOGIN_OF[role]));
  });
  afterAll(async () => s?.close());

  it('has a row for every registered route, and no row for a route that is gone', () => {
    const registered = [...routeRegistry.keys()].sort();
    const specified = Object.keys(SPEC).sort();
    expect(registered.filter((k) => !(k in SPEC)), 'routes without a row in SPEC').toEqual([]);
    expect(specified.filter((k) => !routeRegistry.has(k)), 'rows for routes that do not exist').toEqual([]);
    // The registry's own idea of public routes matches the specification.
    for (const [k, r] of routeRegistry) expect(r.auth === 'public', k).toBe(SPEC[k] === PUBLIC);
  });

  it('anonymous callers: 401 everywhere but the public routes', async () => {
    const anon = s.client();
    const wrong: string[] = [];
    for (const key of Object.keys(SPEC)) {
      if (key === 'POST /api/auth/login') continue; // below
      const v = verdict(key, null, await call(anon, key));
      if (v) wrong.push(v);
    }
    expect(wrong).toEqual([]);
  });

  it.each(ROLES)('%s: let through exactly where the specification says', async (role) => {
    const c = clients.get(role)!;
    const wrong: string[] = [];
    let checked = 0;
    for (const key of Object.keys(SPEC)) {
      if (OWN_SESSION.has(key)) continue;
      const v = verdict(key, role, await call(c, key));
      checked++;
      if (v) wrong.push(v);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(Object.keys(SPEC).length - OWN_SESSION.size);
  });

  it('every role logs in and out of a session of its own; anonymous logout is 401', async () => {
    for (const role of ROLES) {
      const c = s.client();
      expect((await c.login(LOGIN_OF[role])).status, role).toBe(200);
      expect((await c.post('/api/auth/logout')).status, role).toBe(200);
      expect((await c.get('/api/me')).status, role).toBe(401);
    }
    expect((await s.client().post('/api/auth/logout')).status).toBe(401);
    expect((await s.client().post('/api/auth/login', {})).status).toBe(400);
  });
});
