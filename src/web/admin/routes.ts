// The staff app's route table: the one place that says which pages exist, where each sits in the
// menu, what it is called (menu entry and the page's h1) and which permission opens it. App.tsx
// builds the routes from it, the side menu its entries, and test/e2e/smoke*.test.ts open every route
// as every role that may see it. A new page is one entry here and one file under pages/<module>/.
//
// Plain data (no JSX): the browser test imports it as it is; icons are named, see layout/icons.tsx.
import type { ComponentType } from 'react';
import { shell } from './i18n/shell.js';

const m = shell.menu;

export type MenuGroup = 'org' | 'study' | 'opinions' | 'rectification' | 'service' | 'institutions' | 'system' | 'audit';
export type IconName =
  | 'home' | 'apartment' | 'flag' | 'team' | 'message' | 'edit' | 'barChart' | 'form' | 'api'
  | 'setting' | 'user' | 'usergroup' | 'desktop' | 'safety' | 'book' | 'cluster' | 'safetyCertificate'
  | 'audit' | 'login' | 'bell' | 'fileSearch' | 'fileDone' | 'tags';

type PageModule = Promise<{ default: ComponentType }>;

export interface StaffRoute {
  path: string;
  /** The menu entry and the page's h1. */
  title: string;
  /** Needed to open the page; none: every signed-in user. */
  perm?: string;
  /** The menu group it is listed under; none: top level. */
  group?: MenuGroup;
  /** false: not in the side menu (reached from elsewhere, e.g. the header bell). */
  menu?: boolean;
  icon: IconName;
  page: () => PageModule;
}

export const MENU_GROUPS: { key: MenuGroup; title: string; icon: IconName }[] = [
  { key: 'org', title: m.orgGroup, icon: 'apartment' },
  { key: 'study', title: m.studyGroup, icon: 'book' },
  { key: 'opinions', title: m.opinionsGroup, icon: 'message' },
  { key: 'rectification', title: m.rectificationGroup, icon: 'fileSearch' },
  { key: 'service', title: m.serviceGroup, icon: 'team' },
  { key: 'institutions', title: m.institutionsGroup, icon: 'safety' },
  { key: 'system', title: m.systemGroup, icon: 'setting' },
  { key: 'audit', title: m.auditGroup, icon: 'safetyCertificate' },
];

export const ROUTES: StaffRoute[] = [
  { path: '/', title: m.home, icon: 'home', page: () => import('./pages/home/HomePage.js') },
  { path: '/org', title: m.org, group: 'org', icon: 'apartment', perm: 'org:read', page: () => import('./pages/org/OrgPage.js') },
  { path: '/party-orgs', title: m.party, group: 'org', icon: 'flag', perm: 'party:read', page: () => import('./pages/org/PartyOrgPage.js') },
  { path: '/people', title: m.people, group: 'org', icon: 'team', perm: 'people:read', page: () => import('./pages/people/PeoplePage.js') },
  { path: '/study/my', title: m.myStudy, group: 'study', icon: 'user', perm: 'study:take', page: () => import('./pages/study/MyStudyPage.js') },
  { path: '/study/my-exams', title: m.myExams, group: 'study', icon: 'edit', perm: 'study:take', page: () => import('./pages/exams/MyExamsPage.js') },
  { path: '/study/exam', title: m.examTaking, group: 'study', menu: false, icon: 'edit', perm: 'study:take', page: () => import('./pages/exams/ExamTakingPage.js') },
  { path: '/study/checkin', title: m.studyCheckin, group: 'study', menu: false, icon: 'edit', perm: 'study:take', page: () => import('./pages/study/CheckinPage.js') },
  { path: '/study/shares', title: m.studyShares, group: 'study', icon: 'message', perm: 'study:take', page: () => import('./pages/study/SharesPage.js') },
  { path: '/study/archive', title: m.studyArchive, group: 'study', icon: 'fileDone', perm: 'study:take', page: () => import('./pages/exams/ArchivePage.js') },
  { path: '/study/activities', title: m.studyActivities, group: 'study', icon: 'book', perm: 'study:read', page: () => import('./pages/study/ActivitiesPage.js') },
  { path: '/study/supervision', title: m.supervision, group: 'study', icon: 'fileSearch', perm: 'study:read', page: () => import('./pages/study/SupervisionPage.js') },
  { path: '/study/commendations', title: m.commendations, group: 'study', icon: 'flag', perm: 'study:read', page: () => import('./pages/study/CommendationsPage.js') },
  { path: '/study/topics', title: m.studyTopics, group: 'study', icon: 'tags', perm: 'exams:write', page: () => import('./pages/exams/TopicsPage.js') },
  { path: '/study/exams', title: m.exams, group: 'study', icon: 'form', perm: 'exams:read', page: () => import('./pages/exams/ExamsPage.js') },
  { path: '/study/assessment', title: m.assessment, group: 'study', icon: 'barChart', perm: 'exams:read', page: () => import('./pages/exams/AssessmentPage.js') },
  { path: '/opinions', title: m.opinions, group: 'opinions', icon: 'message', perm: 'opinions:read', page: () => import('./pages/opinions/OpinionsPage.js') },
  { path: '/opinions/new', title: m.opinionEntry, group: 'opinions', icon: 'edit', perm: 'opinions:enter', page: () => import('./pages/opinions/EntryPage.js') },
  { path: '/opinions/stats', title: m.opinionStats, group: 'opinions', icon: 'barChart', perm: 'opinions:read', page: () => import('./pages/opinions/StatsPage.js') },
  { path: '/symposiums', title: m.symposiums, group: 'opinions', icon: 'team', perm: 'symposiums:read', page: () => import('./pages/opinions/SymposiumsPage.js') },
  { path: '/surveys', title: m.surveys, group: 'opinions', icon: 'form', perm: 'surveys:read', page: () => import('./pages/opinions/SurveysPage.js') },
  { path: '/open311-keys', title: m.open311, group: 'opinions', icon: 'api', perm: 'open311:keys', page: () => import('./pages/opinions/Open311KeysPage.js') },
  { path: '/rectification', title: m.rectification, group: 'rectification', icon: 'fileDone', perm: 'rectification:read', page: () => import('./pages/rectification/LedgerPage.js') },
  { path: '/rectification/categories', title: m.rectificationCategories, group: 'rectification', icon: 'tags', perm: 'rectification:catalog', page: () => import('./pages/rectification/CategoriesPage.js') },
  { path: '/self-check', title: m.selfCheck, group: 'rectification', icon: 'edit', perm: 'selfcheck:fill', page: () => import('./pages/self-checks/SelfCheckPage.js') },
  { path: '/self-checks', title: m.selfChecks, group: 'rectification', icon: 'barChart', perm: 'selfcheck:coverage', page: () => import('./pages/self-checks/SelfChecksPage.js') },
  { path: '/clues', title: m.clues, group: 'rectification', icon: 'safety', perm: 'clues:read', page: () => import('./pages/clues/CluesPage.js') },
  { path: '/screening', title: m.screening, group: 'rectification', icon: 'fileSearch', perm: 'screening:read', page: () => import('./pages/screening/ScreeningPage.js') },
  { path: '/talks', title: m.talks, group: 'rectification', icon: 'message', perm: 'talks:read', page: () => import('./pages/talks/TalksPage.js') },
  { path: '/life-meetings', title: m.lifeMeetings, group: 'rectification', icon: 'team', perm: 'lifemeetings:read', page: () => import('./pages/talks/LifeMeetingsPage.js') },
  { path: '/service/measures', title: m.serviceMeasures, group: 'service', icon: 'flag', perm: 'service:read', page: () => import('./pages/service/MeasuresPage.js') },
  { path: '/service/workstations', title: m.legalWorkstations, group: 'service', icon: 'apartment', perm: 'service:read', page: () => import('./pages/service/WorkstationsPage.js') },
  { path: '/service/enterprises', title: m.enterpriseServices, group: 'service', icon: 'safetyCertificate', perm: 'service:read', page: () => import('./pages/service/EnterprisesPage.js') },
  { path: '/service/commitments', title: m.certCommitments, group: 'service', icon: 'fileDone', perm: 'commitments:read', page: () => import('./pages/commitments/CommitmentsPage.js') },
  { path: '/service/cases', title: m.caseIntake, group: 'service', icon: 'audit', perm: 'cases:read', page: () => import('./pages/cases/CasesPage.js') },
  { path: '/village/pairings', title: m.villagePairings, group: 'service', icon: 'team', perm: 'village:read', page: () => import('./pages/village/PairingsPage.js') },
  { path: '/village/board', title: m.villageBoard, group: 'service', icon: 'barChart', perm: 'village:read', page: () => import('./pages/village/BoardPage.js') },
  { path: '/village/records', title: m.villageRecords, group: 'service', icon: 'fileDone', perm: 'village:field', page: () => import('./pages/village/RecordsPage.js') },
  { path: '/institutions/interference', title: m.interferenceMine, group: 'institutions', icon: 'edit', perm: 'interference:record', page: () => import('./pages/interference/MyInterferencePage.js') },
  { path: '/institutions/interference/coverage', title: m.interferenceCoverage, group: 'institutions', icon: 'barChart', perm: 'interference:coverage', page: () => import('./pages/interference/CoveragePage.js') },
  { path: '/institutions/interference/records', title: m.interferenceRecords, group: 'institutions', icon: 'safety', perm: 'interference:read', page: () => import('./pages/interference/RecordsPage.js') },
  { path: '/institutions/policies', title: m.policies, group: 'institutions', icon: 'book', perm: 'policies:read', page: () => import('./pages/policies/PoliciesPage.js') },
  { path: '/users', title: m.users, group: 'system', icon: 'user', perm: 'users:read', page: () => import('./pages/system/UsersPage.js') },
  { path: '/roles', title: m.roles, group: 'system', icon: 'usergroup', perm: 'roles:read', page: () => import('./pages/system/RolesPage.js') },
  { path: '/sessions', title: m.sessions, group: 'system', icon: 'desktop', perm: 'sessions:read', page: () => import('./pages/system/SessionsPage.js') },
  { path: '/approvals', title: m.approvals, group: 'system', icon: 'safety', perm: 'approvals:read', page: () => import('./pages/system/ApprovalsPage.js') },
  { path: '/dicts', title: m.dicts, group: 'system', icon: 'book', perm: 'dict:read', page: () => import('./pages/system/DictPage.js') },
  { path: '/campaigns', title: m.campaigns, group: 'system', icon: 'cluster', perm: 'campaign:read', page: () => import('./pages/system/CampaignsPage.js') },
  { path: '/audit-logs', title: m.auditLogs, group: 'audit', icon: 'audit', perm: 'audit:read', page: () => import('./pages/system/AuditLogPage.js') },
  { path: '/login-logs', title: m.loginLogs, group: 'audit', icon: 'login', perm: 'loginlog:read', page: () => import('./pages/system/LoginLogPage.js') },
  { path: '/notifications', title: m.notifications, menu: false, icon: 'bell', page: () => import('./pages/home/NotificationsPage.js') },
];

/** Outside the app's frame: open before signing in (and the forced password change). */
export const AUTH_ROUTES: { path: string; title: string; page: () => PageModule }[] = [
  { path: '/login', title: shell.auth.loginTitle, page: () => import('./auth/LoginPage.js') },
  { path: '/change-password', title: shell.auth.changeTitle, page: () => import('./auth/ChangePasswordPage.js') },
];

/** Every path the staff app answers. */
export const STAFF_ROUTE_PATHS: string[] = [...AUTH_ROUTES, ...ROUTES].map((r) => r.path);

/** The route a location shows: its exact path (the table has no parameters). */
export function routeFor(pathname: string): StaffRoute | undefined {
  const p = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  return ROUTES.find((r) => r.path === p);
}
