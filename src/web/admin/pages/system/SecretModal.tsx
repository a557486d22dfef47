// Shows a generated password exactly once: the server never returns it again.

import { Alert, Modal, Space, Typography } from 'antd';

const T = {
  ok: '我已记下',
  note: '该密码仅显示这一次，关闭后无法再次查看。请通过安全渠道交给本人，首次登录须修改。',
  account: '账号',
  password: '密码',
  copied: '已复制',
  copy: '复制密码',
};

export interface Secret {
  title: string;
  username: string;
  password: string;
}

export function SecretModal({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  return (
    <Modal
      open={secret !== null}
      title={secret?.title}
      onOk={onClose}
      onCancel={onClose}
      okText={T.ok}
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
      destroyOnHidden
    >
      {secret && (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Alert type="warning" showIcon title={T.note} />
          <div>
            <Typography.Text type="secondary">{T.account}：</Typography.Text>
            <Typography.Text strong>{secret.username}</Typography.Text>
          </div>
          <div>
            <Typography.Text type="secondary">{T.password}：</Typography.Text>
            <Typography.Text
              code
              copyable={{ text: secret.password, tooltips: [T.copy, T.copied] }}
              style={{ fontSize: 18 }}
              data-testid="one-time-password"
            >
              {secret.password}
            </Typography.Text>
          </div>
        </Space>
      )}
    </Modal>
  );
}
