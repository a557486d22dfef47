// 用户名/密码 login. The server's Chinese message is shown as is (wrong password, locked account …).
// Plain React and CSS: the first page a user sees loads no component library.
import { useEffect, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api.js';
import { shell } from '../i18n/index.js';
import { Field } from '../components/Field.js';
import { AuthShell } from './AuthShell.js';
import { afterSignIn, destinationOf } from './destination.js';
import { fetchMe, ME_KEY, useAuth } from './useMe.js';

const a = shell.auth;

export default function LoginPage() {
  const { me, notice, setNotice } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const to = destinationOf(location.state, location.search);
  const signedIn = Boolean(me && !busy);
  useEffect(() => {
    if (signedIn && me) afterSignIn(navigate, me.mustChangePassword, to);
  }, [signedIn, me, navigate, to]);

  if (signedIn) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const need = { username: !username.trim(), password: !password };
    setMissing(need);
    if (need.username || need.password) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/login', { username: username.trim(), password });
      setNotice(null);
      const fresh = await qc.fetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 0 });
      afterSignIn(navigate, fresh?.mustChangePassword, to);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title={a.loginTitle}>
      {notice && !error ? <p className="auth-alert warning">{notice}</p> : null}
      {error ? (
        <p className="auth-alert error" role="alert">
          {error}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <fieldset disabled={busy} className="auth-fieldset">
          <Field id="username" label={a.username} error={missing.username ? a.usernameRequired : undefined}>
            {(aria) => (
              <input {...aria} type="text" name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
            )}
          </Field>
          <Field id="password" label={a.password} error={missing.password ? a.passwordRequired : undefined}>
            {(aria) => (
              <input {...aria} type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            )}
          </Field>
          <button type="submit" className="plain-button primary block" aria-busy={busy || undefined}>
            {a.login}
          </button>
        </fieldset>
      </form>
    </AuthShell>
  );
}
