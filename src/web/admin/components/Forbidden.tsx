// Pages the user may not open show a 403 result (under the page's heading) instead of failing on the
// first API call; unknown paths a 404.
import type { ReactNode } from 'react';
import { Button } from 'antd';
import { useNavigate } from 'react-router';
import { useCan } from '../auth/useMe.js';
import { common } from '../i18n/index.js';
import { Outcome } from './Outcome.js';
import { PageHeader } from './PageHeader.js';

function HomeButton() {
  const navigate = useNavigate();
  return (
    <Button type="primary" onClick={() => navigate('/')}>
      {common.backHome}
    </Button>
  );
}

export function ForbiddenResult() {
  return (
    <>
      <PageHeader />
      <Outcome code={common.forbiddenTitle} text={common.forbidden} action={<HomeButton />} testId="forbidden" />
    </>
  );
}

export function NotFoundResult() {
  return (
    <>
      <PageHeader title={common.notFound} />
      <Outcome code="404" text={common.notFound} action={<HomeButton />} testId="not-found" />
    </>
  );
}

/** Renders children only with the permission (any of several); otherwise the 403 result or `fallback`. */
export function RequirePerm({ perm, children, fallback }: { perm: string | string[]; children: ReactNode; fallback?: ReactNode }) {
  const can = useCan();
  const ok = (Array.isArray(perm) ? perm : [perm]).some(can);
  if (!ok) return <>{fallback === undefined ? <ForbiddenResult /> : fallback}</>;
  return <>{children}</>;
}
