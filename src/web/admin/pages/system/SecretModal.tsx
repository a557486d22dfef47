// Shows a generated password exactly once: the server never returns it again.

import { Alert, Modal, Space, Typography } from 'antd';
import { system } from '../../i18n/index.js';

const T = system.secret;

export interface Secret {
  title: string;
  username: string;
  password: string;
}

export default function SecretModal({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
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
