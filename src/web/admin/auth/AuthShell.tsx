// The centred box around the login and change-password forms. Plain markup and CSS (app.css): the
// login page carries no component library.
import type { ReactNode } from 'react';
import { shell } from '../i18n/index.js';

export function AuthShell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="auth-bg">
      <main className="auth-main">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            法
          </span>
          <div>
            <h1 className="auth-title">{shell.appName}</h1>
            <span className="auth-owner">{shell.appOwner}</span>
          </div>
        </div>
        <section className="auth-card" aria-labelledby="auth-card-title">
          <h2 id="auth-card-title" className="auth-card-title">
            {title}
          </h2>
          <div className="auth-card-body">{children}</div>
        </section>
        <p className="auth-footer">{shell.auth.footer}</p>
      </main>
    </div>
  );
}
