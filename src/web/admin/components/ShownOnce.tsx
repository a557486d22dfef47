// A secret shown exactly once (a generated password, an API key): the server never returns it again,
// so the dialog has no cancel and does not close on a click beside it — only "I have it".
import { Alert, Modal, Space, Typography } from 'antd';
import type { ReactNode } from 'react';

export function ShownOnceModal({ open, title, note, okText, width, onClose, children }: {
  open: boolean;
  title: ReactNode;
  /** Why it must be copied now. */
  note: ReactNode;
  okText: string;
  width?: number;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      title={title}
      onOk={onClose}
      onCancel={onClose}
      okText={okText}
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
      width={width}
      destroyOnHidden
    >
      {open && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Alert type="warning" showIcon title={note} />
          {children}
        </Space>
      )}
    </Modal>
  );
}

/** One labelled line of such a dialog. */
export function ShownField({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div>
      <Typography.Text type="secondary">{label}：</Typography.Text>
      {children}
    </div>
  );
}
