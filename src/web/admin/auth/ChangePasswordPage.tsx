// Change one's own password: forced after the first login or a reset, voluntary from the header menu.
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Flex, Form, Input } from 'antd';
import { useFeedback } from '../components/feedback.js';
import { useQueryClient } from '@tanstack/react-query';
import { api, type Me } from '../api.js';
import { passwordProblems } from '../../../shared/validators.js';
import { common, shell } from '../i18n/index.js';
import { useApiError } from '../components/useApiError.js';
import { AntdRoot } from '../layout/AntdRoot.js';
import { AuthShell } from './AuthShell.js';
import { destinationOf, goTo } from './destination.js';
import { ME_KEY, useAuth } from './useMe.js';

interface PasswordForm {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

export default function ChangePasswordPage() {
  return (
    <AntdRoot>
      <ChangePassword />
    </AntdRoot>
  );
}

function ChangePassword() {
  const { me, signedOut } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = useFeedback();
  const showError = useApiError();
  const [form] = Form.useForm<PasswordForm>();
  const [busy, setBusy] = useState(false);

  if (me === null) return <Navigate to="/login" replace />;
  if (!me) return null;
  const forced = me.mustChangePassword;

  const submit = async (v: PasswordForm) => {
    setBusy(true);
    try {
      await api.post('/api/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      qc.setQueryData<Me | null>(ME_KEY, (old) => (old ? { ...old, mustChangePassword: false } : old));
      void qc.invalidateQueries({ queryKey: ME_KEY });
      message.success(shell.auth.changed);
      // Where the login was headed (a check-in link, the field app), now that the password is changed.
      goTo(navigate, destinationOf(location.state, location.search));
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  const logout = async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    signedOut();
    navigate('/login', { replace: true });
  };

  return (
    <AuthShell title={shell.auth.changeTitle}>
      <Alert
        type={forced ? 'warning' : 'info'}
        showIcon
        title={forced ? shell.auth.changeIntro : shell.auth.changeIntroVoluntary}
        description={shell.auth.rule}
        style={{ marginBottom: 16 }}
      />
      <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item label={shell.auth.oldPassword} name="oldPassword" rules={[{ required: true, message: shell.auth.oldRequired }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          label={shell.auth.newPassword}
          name="newPassword"
          dependencies={['oldPassword']}
          extra={shell.auth.rule}
          rules={[
            { required: true, message: shell.auth.newRequired },
            ({ getFieldValue }) => ({
              validator: async (_, value: string) => {
                if (!value) return;
                const problem = passwordProblems(value);
                if (problem) throw new Error(problem);
                if (value === getFieldValue('oldPassword')) throw new Error(shell.auth.sameAsOld);
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label={shell.auth.confirmPassword}
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: shell.auth.confirmRequired },
            ({ getFieldValue }) => ({
              validator: async (_, value: string) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error(shell.auth.mismatch);
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Flex gap={8} vertical>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {shell.auth.submit}
          </Button>
          {forced ? (
            <Button block onClick={() => void logout()}>
              {shell.auth.logoutInstead}
            </Button>
          ) : (
            <Button block onClick={() => navigate(-1)}>
              {common.cancel}
            </Button>
          )}
        </Flex>
      </Form>
    </AuthShell>
  );
}
