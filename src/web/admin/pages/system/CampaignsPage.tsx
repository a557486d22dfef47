// 教育整顿批次: the campaign batches the whole platform hangs its work on. The status follows the
// dates (未开始 → 进行中 → 已结束); 启动 / 结束 move it ahead of them, and the list says so.
import { lazy, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Space } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { PlusOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { system } from '../../i18n/index.js';
import { formatDate } from '../../components/format.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { OnDemand } from '../../components/OnDemand.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useCan } from '../../auth/useMe.js';
import { CAMPAIGN_STATUS_LABELS, optionsOf } from './labels.js';
import { CampaignStatusTag as StatusTag } from './CampaignStatusTag.js';
import type { CampaignStatus, CampaignView } from '../../../../shared/schemas/campaigns.js';

const T = system.campaigns;
const KEY = '/api/campaigns';
const CampaignDrawer = lazy(() => import('./CampaignDrawer.js'));

export default function CampaignsPage() {
  const { message } = useFeedback();
  const showError = useApiError();
  const canWrite = useCan()('campaign:write');
  const invalidate = useInvalidate();
  const list = useList<CampaignView>(KEY);
  const [editing, setEditing] = useState<CampaignView | 'new' | null>(null);

  const transition = useMutation({
    mutationFn: (v: { id: string; status: CampaignStatus }) => api.patch(`${KEY}/${v.id}`, { status: v.status }),
    onSuccess: (_r, v) => {
      message.success(v.status === 'active' ? T.started : T.closed);
      void invalidate(KEY);
    },
    onError: (e) => showError(e),
  });

  const columns: Columns<CampaignView> = [
    { title: T.name, dataIndex: 'name', ellipsis: true },
    { title: T.batch, dataIndex: 'batch', width: 100, render: (n: number) => T.batchLabel(n) },
    { title: T.period, key: 'period', width: 220, render: (_: unknown, c) => `${formatDate(c.startDate)} 至 ${formatDate(c.endDate)}` },
    { title: T.status, dataIndex: 'status', width: 130, render: (_: unknown, c) => <StatusTag c={c} /> },
    { title: T.description, dataIndex: 'description', ellipsis: { showTitle: true }, render: (v: string | null) => v || '—' },
  ];
  if (canWrite)
    columns.push({
      title: T.actions,
      key: 'actions',
      width: 140,
      render: (_: unknown, c) => (
        <Space size={0}>
          <button type="button" className="link-action" onClick={() => setEditing(c)}>{T.edit}</button>
          {c.status === 'planned' && (
            <ConfirmButton title={T.startConfirm} onConfirm={() => transition.mutateAsync({ id: c.id, status: 'active' })}>
              {T.start}
            </ConfirmButton>
          )}
          {c.status === 'active' && (
            <ConfirmButton danger title={T.closeConfirm} onConfirm={() => transition.mutateAsync({ id: c.id, status: 'closed' })}>
              {T.close}
            </ConfirmButton>
          )}
        </Space>
      ),
    });


  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={T.statusHint}
      filters={[{ kind: 'tabs', name: 'status', label: T.status, options: [{ value: '', label: T.all }, ...optionsOf(CAMPAIGN_STATUS_LABELS)] }]}
      actions={canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>{T.create}</Button>}
      table={{ minWidth: 900 }}
    >
      <OnDemand open={editing !== null}>
        <CampaignDrawer
          editing={editing}
          nextBatch={Math.max(0, ...list.items.map((c) => c.batch)) + 1}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void invalidate(KEY);
          }}
        />
      </OnDemand>
    </ListPage>
  );
}
