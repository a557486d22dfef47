// A page's title row (title, buttons on the right) above one card with the content — the same
// look as the shell's PageHeader, kept here so the system pages do not depend on its internals.

import type { ReactNode } from 'react';
import { Button, Card, Flex, Typography } from 'antd';

export function PageTitle({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <Flex align="center" justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      {extra ? (
        <Flex gap={8} wrap>
          {extra}
        </Flex>
      ) : null}
    </Flex>
  );
}

export function PageShell({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <>
      <PageTitle title={title} extra={extra} />
      <Card>{children}</Card>
    </>
  );
}

/** Cancel / save buttons under a drawer or modal form. */
export function FormFooter({ onCancel, saving, saveText = '保存', cancelText = '取消' }: {
  onCancel: () => void;
  saving: boolean;
  saveText?: string;
  cancelText?: string;
}) {
  return (
    <Flex justify="flex-end" gap={8} style={{ marginTop: 8 }}>
      <Button onClick={onCancel}>{cancelText}</Button>
      <Button type="primary" htmlType="submit" loading={saving}>
        {saveText}
      </Button>
    </Flex>
  );
}
