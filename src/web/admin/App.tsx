// The staff app's top routes: the login pages, and behind a signed-in check the app's frame with
// every page of the route table (routes.ts). The frame and the pages load on demand, so the login
// page brings only itself (and no antd: see main.tsx).
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useAuth } from './auth/useMe.js';
import { AUTH_ROUTES } from './routes.js';
import { common } from './i18n/index.js';

const [LoginPage, ChangePasswordPage] = AUTH_ROUTES.map((r) => lazy(r.page));
const Frame = lazy(() => import('./layout/AppLayout.js'));

/** Plain CSS, so waiting needs no component library. */
export const spinner = (
  <div className="boot-spinner" role="status">
    <span className="sr-only">{common.loading}</span>
  </div>
);

/** The app's frame only for a signed-in user who has no password change pending. */
function RequireAuth() {
  const { me, error, retry } = useAuth();
  const location = useLocation();
  if (me === undefined) {
    if (error) {
      return (
        <main className="boot-failed" role="alert">
          <h1>{common.loadFailed}</h1>
          <p>{error.message}</p>
          <button type="button" className="plain-button primary" onClick={retry}>
            {common.retry}
          </button>
        </main>
      );
    }
    return spinner;
  }
  if (me === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (me.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <Frame />;
}

export default function App() {
  const [login, change] = AUTH_ROUTES;
  return (
    <Suspense fallback={spinner}>
      <Routes>
        <Route path={login!.path} element={<LoginPage />} />
        <Route path={change!.path} element={<ChangePasswordPage />} />
        <Route path="*" element={<RequireAuth />} />
      </Routes>
    </Suspense>
  );
}
