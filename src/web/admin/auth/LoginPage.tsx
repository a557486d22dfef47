// 用户名/密码 login. The server's Chinese message is shown as is (wrong password, locked account …).
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { AuthShell } from './AuthShell.js';
import { fetchMe, ME_KEY, useAuth } from './useMe.js';

interface LoginForm {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { me, notice, setNotice } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;

  if (me && !busy) return <Navigate to={me.mustChangePassword ? '/change-password' : (from ?? '/')} replace />;

  const submit = async (v: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/login', { username: v.username.trim(), password: v.password });
      setNotice(null);
      const fresh = await qc.fetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 0 });
      navigate(fresh?.mustChangePassword ? '/change-password' : (from ?? '/'), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title={t.auth.loginTitle}>
      {notice && !error ? <Alert type="warning" showIcon title={notice} style={{ marginBottom: 16 }} /> : null}
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<LoginForm> layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on" disabled={busy}>
        <Form.Item label={t.auth.username} name="username" rules={[{ required: true, whitespace: true, message: t.auth.usernameRequired }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
        </Form.Item>
        <Form.Item label={t.auth.password} name="password" rules={[{ required: true, message: t.auth.passwordRequired }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={busy}>
          {t.auth.login}
        </Button>
      </Form>
    </AuthShell>
  );
}
