// Open311 密钥: API keys of the systems that submit opinions through /open311/v2/. A new key is
// shown once (only its hint is kept in the list); a revoked key stops working at once.
import { lazy, useState } from 'react';
import { Button, Space, Tag } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { OnDemand } from '../../components/OnDemand.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { formatTime } from '../../components/format.js';
import { common, opinions as ot } from '../../i18n/index.js';

const k = ot.open311;
const KEYS = '/api/open311/keys';
const Open311KeyDialogs = lazy(() => import('./Open311KeyDialogs.js'));

interface KeyRow {
  id: string;
  name: string;
  keyHint: string;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

export default function Open311KeysPage() {
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ name: string; apiKey: string } | null>(null);
  const list = useList<KeyRow>(KEYS);
  const refresh = () => invalidate(KEYS);

  const revoke = async (row: KeyRow) => {
    try {
      await api.del(`${KEYS}/${row.id}`);
      message.success(k.revokedDone);
      await refresh();
    } catch (err) {
      showError(err);
    }
  };

  const columns: Columns<KeyRow> = [
    { title: k.name, dataIndex: 'name' },
    { title: k.keyHint, dataIndex: 'keyHint', render: (v: string) => <code>…{v}</code> },
    { title: k.createdAt, dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
    { title: k.createdBy, dataIndex: 'createdBy', render: (v: string | null) => v ?? ot.common.none },
    {
      title: k.status,
      dataIndex: 'revokedAt',
      render: (v: string | null) =>
        v ? (
          <Space size={4}>
            <Tag color="red">{k.revoked}</Tag>
            <span className="text-secondary">{k.revokedAt(formatTime(v))}</span>
          </Space>
        ) : (
          <Tag color="green">{k.active}</Tag>
        ),
    },
    {
      title: common.actions,
      key: 'actions',
      render: (_: unknown, row) =>
        row.revokedAt ? null : (
          <ConfirmButton danger title={k.revoke} description={k.revokeConfirm(row.name)} onConfirm={() => revoke(row)}>
            {k.revoke}
          </ConfirmButton>
        ),
    },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={k.subTitle}
      actions={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {k.add}
        </Button>
      }
    >
      <OnDemand open={creating || secret !== null}>
        <Open311KeyDialogs
          creating={creating}
          secret={secret}
          onCloseCreate={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setSecret(created);
            void refresh();
          }}
          onCloseSecret={() => setSecret(null)}
        />
      </OnDemand>
    </ListPage>
  );
}
