// Open311 密钥: API keys of the systems that submit opinions through /open311/v2/. A new key is
// shown once (only its hint is kept in the list); a revoked key stops working at once.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApiError } from '../../components/useApiError.js';
import { useTable } from '../../components/useTable.js';
import { formatTime } from '../../components/format.js';
import { t } from '../../i18n.js';
import { ot } from './i18n.js';

const k = ot.open311;
const KEYS = '/api/open311/keys';

interface KeyRow {
  id: string;
  name: string;
  keyHint: string;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

export default function Open311KeysPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ name: string }>();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ name: string; apiKey: string } | null>(null);
  const { tableProps } = useTable<KeyRow>(KEYS);
  const refresh = () => qc.invalidateQueries({ queryKey: [KEYS] });
  const base = `${window.location.origin}/open311/v2/`;

  const create = async (v: { name: string }) => {
    setBusy(true);
    try {
      const r = await api.post<{ id: string; apiKey: string }>(KEYS, { name: v.name.trim() });
      setCreating(false);
      setSecret({ name: v.name.trim(), apiKey: r.apiKey });
      await refresh();
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (row: KeyRow) => {
    try {
      await api.del(`${KEYS}/${row.id}`);
      message.success(k.revokedDone);
      await refresh();
    } catch (err) {
      showError(err);
    }
  };

  const columns: TableColumnsType<KeyRow> = [
    { title: k.name, dataIndex: 'name' },
    { title: k.keyHint, dataIndex: 'keyHint', render: (v: string) => <Typography.Text code>…{v}</Typography.Text> },
    { title: k.createdAt, dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
    { title: k.createdBy, dataIndex: 'createdBy', render: (v: string | null) => v ?? ot.common.none },
    {
      title: k.status,
      dataIndex: 'revokedAt',
      render: (v: string | null) =>
        v ? (
          <Space size={4}>
            <Tag color="red">{k.revoked}</Tag>
            <Typography.Text type="secondary">{k.revokedAt(formatTime(v))}</Typography.Text>
          </Space>
        ) : (
          <Tag color="green">{k.active}</Tag>
        ),
    },
    {
      title: t.common.actions,
      key: 'actions',
      render: (_: unknown, row) =>
        row.revokedAt ? null : (
          <Popconfirm
            title={k.revoke}
            description={<div style={{ maxWidth: 280 }}>{k.revokeConfirm(row.name)}</div>}
            okButtonProps={{ danger: true }}
            onConfirm={() => revoke(row)}
          >
            <Button type="link" size="small" danger>
              {k.revoke}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  const usage = k.usageText.replaceAll('{base}', base);
  const curl = secret
    ? `curl -X POST ${base}requests.json \\\n  -d api_key=${secret.apiKey} \\\n  -d service_code=public_legal_service \\\n  --data-urlencode "description=${k.sampleDescription}"`
    : '';

  return (
    <>
      <PageHeader
        title={k.title}
        subTitle={k.subTitle}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
          >
            {k.add}
          </Button>
        }
      />
      <Card size="small">
        <Table<KeyRow> {...tableProps} columns={columns} size="middle" />
      </Card>
      <Modal
        open={creating}
        title={k.add}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: busy }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={create} disabled={busy} preserve={false}>
          <Form.Item name="name" label={k.name} rules={[{ required: true, whitespace: true, message: k.nameRequired }, { max: 100 }]}>
            <Input autoFocus maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={secret !== null}
        title={k.createdTitle}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        okText={ot.common.gotIt}
        cancelButtonProps={{ style: { display: 'none' } }}
        mask={{ closable: false }}
        width={640}
        destroyOnHidden
      >
        {secret ? (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Alert type="warning" showIcon title={k.once} />
            <div>
              <Typography.Text type="secondary">{k.name}：</Typography.Text>
              <Typography.Text strong>{secret.name}</Typography.Text>
            </div>
            <div>
              <Typography.Text type="secondary">{k.apiKey}：</Typography.Text>
              <Typography.Text code copyable={{ text: secret.apiKey, tooltips: [ot.common.copy, ot.common.copied] }} data-testid="api-key" style={{ wordBreak: 'break-all' }}>
                {secret.apiKey}
              </Typography.Text>
            </div>
            <div>
              <Typography.Text type="secondary">{k.endpoint}：</Typography.Text>
              <Typography.Text code copyable={{ text: base, tooltips: [ot.common.copy, ot.common.copied] }}>
                {base}
              </Typography.Text>
            </div>
            <div>
              <Typography.Text type="secondary">{k.usage}：</Typography.Text>
              <Typography.Paragraph style={{ marginBottom: 8 }}>{usage}</Typography.Paragraph>
              <Typography.Paragraph copyable={{ text: curl, tooltips: [ot.common.copy, ot.common.copied] }} style={{ marginBottom: 0 }}>
                <pre style={{ fontSize: 12, margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{curl}</pre>
              </Typography.Paragraph>
            </div>
          </Space>
        ) : null}
      </Modal>
    </>
  );
}
