// Shows a generated password exactly once: the server never returns it again.

import { Typography } from 'antd';
import { ShownField, ShownOnceModal } from '../../components/ShownOnce.js';
import { system } from '../../i18n/index.js';

const T = system.secret;

export interface Secret {
  title: string;
  username: string;
  password: string;
}

export default function SecretModal({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  return (
    <ShownOnceModal open={secret !== null} title={secret?.title} note={T.note} okText={T.ok} onClose={onClose}>
      {secret && (
        <>
          <ShownField label={T.account}>
            <Typography.Text strong>{secret.username}</Typography.Text>
          </ShownField>
          <ShownField label={T.password}>
            <Typography.Text
              code
              copyable={{ text: secret.password, tooltips: [T.copy, T.copied] }}
              style={{ fontSize: 18 }}
              data-testid="one-time-password"
            >
              {secret.password}
            </Typography.Text>
          </ShownField>
        </>
      )}
    </ShownOnceModal>
  );
}
