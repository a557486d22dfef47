// Pages the user may not open show a 403 result instead of failing on the first API call.
import type { ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useCan } from '../auth/useMe.js';
import { t } from '../i18n.js';

function HomeButton() {
  const navigate = useNavigate();
  return (
    <Button type="primary" onClick={() => navigate('/')}>
      {t.common.backHome}
    </Button>
  );
}

export function ForbiddenResult() {
  return (
    <Result
      status="403"
      title={t.common.forbiddenTitle}
      subTitle={t.common.forbidden}
      extra={<HomeButton />}
    />
  );
}

export function NotFoundResult() {
  return (
    <Result
      status="404"
      title="404"
      subTitle={t.common.notFound}
      extra={<HomeButton />}
    />
  );
}

/** Renders children only with the permission (any of several); otherwise the 403 result or `fallback`. */
export function RequirePerm({ perm, children, fallback }: { perm: string | string[]; children: ReactNode; fallback?: ReactNode }) {
  const can = useCan();
  const ok = (Array.isArray(perm) ? perm : [perm]).some(can);
  if (!ok) return <>{fallback === undefined ? <ForbiddenResult /> : fallback}</>;
  return <>{children}</>;
}
