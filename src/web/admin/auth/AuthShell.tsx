// The centred card around the login and change-password forms.
import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { t } from '../i18n.js';

export function AuthShell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="auth-bg">
      <main className="auth-main">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            法
          </span>
          <div>
            <Typography.Title level={3} style={{ margin: 0, color: '#fff' }}>
              {t.appName}
            </Typography.Title>
            <span style={{ color: 'rgba(255,255,255,0.85)' }}>{t.appOwner}</span>
          </div>
        </div>
        <Card title={title} style={{ width: '100%' }}>
          {children}
        </Card>
        <p className="auth-footer">{t.auth.footer}</p>
      </main>
    </div>
  );
}
