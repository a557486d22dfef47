// Routes of the staff app. Pages load on demand; each checks its permission before it renders.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Button, Result, Spin } from 'antd';
import { useAuth } from './auth/useMe.js';
import { AppLayout } from './layout/AppLayout.js';
import { permFor } from './layout/nav.js';
import { NotFoundResult, RequirePerm } from './components/Forbidden.js';
import { t } from './i18n.js';

const LoginPage = lazy(() => import('./auth/LoginPage.js'));
const ChangePasswordPage = lazy(() => import('./auth/ChangePasswordPage.js'));

const PAGES: Record<string, LazyExoticComponent<ComponentType>> = {
  '/': lazy(() => import('./pages/home/HomePage.js')),
  '/org': lazy(() => import('./pages/org/OrgPage.js')),
  '/party-orgs': lazy(() => import('./pages/org/PartyOrgPage.js')),
  '/people': lazy(() => import('./pages/people/PeoplePage.js')),
  '/users': lazy(() => import('./pages/system/UsersPage.js')),
  '/roles': lazy(() => import('./pages/system/RolesPage.js')),
  '/sessions': lazy(() => import('./pages/system/SessionsPage.js')),
  '/approvals': lazy(() => import('./pages/system/ApprovalsPage.js')),
  '/dicts': lazy(() => import('./pages/system/DictPage.js')),
  '/campaigns': lazy(() => import('./pages/system/CampaignsPage.js')),
  '/audit-logs': lazy(() => import('./pages/system/AuditLogPage.js')),
  '/login-logs': lazy(() => import('./pages/system/LoginLogPage.js')),
  '/notifications': lazy(() => import('./pages/home/NotificationsPage.js')),
  '/opinions': lazy(() => import('./pages/opinions/OpinionsPage.js')),
  '/opinions/new': lazy(() => import('./pages/opinions/EntryPage.js')),
  '/opinions/stats': lazy(() => import('./pages/opinions/StatsPage.js')),
  '/symposiums': lazy(() => import('./pages/opinions/SymposiumsPage.js')),
  '/surveys': lazy(() => import('./pages/opinions/SurveysPage.js')),
  '/open311-keys': lazy(() => import('./pages/opinions/Open311KeysPage.js')),
};

const spinner = <Spin size="large" style={{ display: 'block', margin: '120px auto' }} />;

/** The app shell only for a logged-in user who has no password change pending. */
function RequireAuth() {
  const { me, error, retry } = useAuth();
  const location = useLocation();
  if (me === undefined) {
    if (error) {
      return (
        <Result
          status="warning"
          title={t.common.loadFailed}
          subTitle={error.message}
          extra={
            <Button type="primary" onClick={retry}>
              {t.common.retry}
            </Button>
          }
        />
      );
    }
    return spinner;
  }
  if (me === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <AppLayout />;
}

export default function App() {
  return (
    <Suspense fallback={spinner}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/change-password" element={<ChangePasswordPage />} />
        <Route element={<RequireAuth />}>
          {Object.entries(PAGES).map(([path, Page]) => {
            const perm = permFor(path);
            return (
              <Route
                key={path}
                path={path}
                element={perm ? <RequirePerm perm={perm}><Page /></RequirePerm> : <Page />}
              />
            );
          })}
          <Route path="*" element={<NotFoundResult />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
