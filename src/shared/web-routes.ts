// The client-side routes of the two web apps, shared by the pages and the server: the server answers
// exactly these paths with the app's page (200) and every other path with a real 404, so a mistyped
// link or a crawler never gets a "soft 404" (the page with status 200).

/** The public site (src/web/public/main.ts maps each to its view). */
export const PUBLIC_ROUTES = {
  home: /^\/public\/?$/,
  submit: /^\/public\/submit\/?$/,
  receipt: /^\/public\/submit\/done\/?$/,
  trackForm: /^\/public\/track\/?$/,
  trackCode: /^\/public\/track\/([^/]+)\/?$/,
  surveys: /^\/public\/surveys\/?$/,
  survey: /^\/public\/surveys\/([^/]+)\/?$/,
  ledger: /^\/public\/rectification\/?$/,
  ledgerItem: /^\/public\/rectification\/([^/]+)\/?$/,
  serviceMeasures: /^\/public\/service\/?$/,
} as const;

/**
 * The staff app's routes (src/web/admin/App.tsx: the login pages and every page of its PAGES table).
 * A new staff page adds its path here too; test/server/delivery.test.ts fails when the two differ.
 */
export const STAFF_PATHS: readonly string[] = [
  '/', '/login', '/change-password',
  '/org', '/party-orgs', '/people', '/users', '/roles', '/sessions', '/approvals', '/dicts', '/campaigns',
  '/audit-logs', '/login-logs', '/notifications',
  '/opinions', '/opinions/new', '/opinions/stats', '/symposiums', '/surveys', '/open311-keys',
  '/rectification', '/rectification/categories',
  '/self-check', '/self-checks',
  '/clues', '/screening', '/talks', '/life-meetings',
  '/service/measures', '/service/workstations', '/service/enterprises', '/service/commitments', '/service/cases',
  '/village/pairings', '/village/board', '/village/records',
  '/institutions/interference', '/institutions/interference/coverage', '/institutions/interference/records', '/institutions/policies',
  '/study/my', '/study/my-exams', '/study/exam', '/study/checkin', '/study/shares', '/study/archive', '/study/activities',
  '/study/supervision', '/study/commendations', '/study/topics', '/study/exams', '/study/assessment',
];

export function isPublicRoute(path: string): boolean {
  return Object.values(PUBLIC_ROUTES).some((re) => re.test(path));
}

export function isStaffRoute(path: string): boolean {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return STAFF_PATHS.includes(p);
}
