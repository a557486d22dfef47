// 问题类别: a campaign's catalogue of problems — the national "7+2" (seven persistent problems, two
// special actions) and the seven disciplines, plus the bureau's own. A campaign without one starts from
// the national list in one click; a category in use is disabled rather than removed. A short list of a
// hundred at most, shown whole (as the dictionary page shows its items).
import { lazy, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Empty, Switch, Tag } from 'antd';
import { PlusOutlined, ReloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { useFeedback } from '../../components/feedback.js';
import { FilterBar } from '../../components/FilterBar.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate } from '../../components/useList.js';
import { common, rectification as rt } from '../../i18n/index.js';
import { campaignFilter, CATEGORIES_KEY, useCampaigns, useCategoriesOf, useDefaultCampaign, type CategoryRow } from './shared.js';

const c = rt.categories;
const CategoryForm = lazy(() => import('./CategoryForm.js'));
const KIND_COLOR: Record<string, string> = { persistent: 'volcano', special: 'purple', discipline: 'blue' };

export default function CategoriesPage() {
  const can = useCan();
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const [chosen, setChosen] = useState<string | undefined>();
  const [editing, setEditing] = useState<CategoryRow | 'new' | null>(null);

  const { data: campaigns = [], isSuccess: campaignsLoaded } = useCampaigns();
  // The ledger's own default campaign, so both pages open on the same one.
  const readsLedger = can('rectification:read');
  const asked = useDefaultCampaign(readsLedger);
  const defaultId = readsLedger ? asked.data : campaigns[0]?.id;
  const campaignId = chosen ?? defaultId ?? undefined;

  const query = useCategoriesOf(campaignId);
  const items = query.data ?? [];
  const refresh = () => invalidate(CATEGORIES_KEY);

  const toggle = useMutation({
    mutationFn: (v: { row: CategoryRow; enabled: boolean }) => api.patch(`${CATEGORIES_KEY}/${v.row.id}`, { enabled: v.enabled }),
    onSuccess: (_r, v) => {
      message.success(v.enabled ? c.enabledDone : c.disabledDone);
      void refresh();
    },
    onError: (e) => showError(e),
  });
  const init = useMutation({
    mutationFn: () => api.post<{ added: number }>(`${CATEGORIES_KEY}/defaults`, { campaignId }),
    onSuccess: (r) => {
      message.success(c.initDone(r.added));
      void refresh();
    },
    onError: (e) => showError(e),
  });

  const columns: Columns<CategoryRow> = [
    { title: c.code, dataIndex: 'code', width: 72, render: (v: string) => <code>{v}</code> },
    { title: c.kind, dataIndex: 'kind', width: 104, render: (_: string, r) => <Tag color={KIND_COLOR[r.kind]}>{r.kindLabel}</Tag> },
    { title: c.name, dataIndex: 'name', render: (v: string) => <div style={{ minWidth: 200 }}>{v}</div> },
    { title: c.description, dataIndex: 'description', render: (v: string | null) => v || rt.common.none },
    { title: c.sort, dataIndex: 'sort', width: 72, align: 'right' },
    {
      title: c.enabled,
      dataIndex: 'enabled',
      width: 72,
      render: (v: boolean, r) => (
        <Switch
          size="small"
          checked={v}
          aria-label={c.enabledOf(r.name)}
          loading={toggle.isPending && toggle.variables?.row.id === r.id}
          onChange={(enabled) => toggle.mutate({ row: r, enabled })}
        />
      ),
    },
    {
      title: common.actions,
      key: 'actions',
      width: 72,
      render: (_: unknown, r) => (
        <button type="button" className="link-action" onClick={() => setEditing(r)}>
          {c.edit}
        </button>
      ),
    },
  ];

  const empty = query.isSuccess && items.length === 0;
  return (
    <>
      <PageHeader
        subTitle={c.subTitle}
        extra={
          <>
            <Button icon={<ReloadOutlined />} aria-label={common.refresh} title={common.refresh} loading={query.isFetching && !query.isLoading} onClick={() => void refresh()} />
            {campaignId ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                {c.add}
              </Button>
            ) : null}
          </>
        }
      />
      <section className="panel">
        <FilterBar
          defs={[campaignFilter(campaigns, defaultId)]}
          filters={chosen ? { campaignId: chosen } : {}}
          onChange={(patch) => setChosen(patch.campaignId === undefined ? undefined : String(patch.campaignId))}
          onReset={() => setChosen(undefined)}
        />
        {campaignsLoaded && !campaigns.length ? (
          <Empty description={c.noCampaign} />
        ) : empty ? (
          <Empty description={<span style={{ display: 'inline-block', maxWidth: 560 }}>{c.initHelp}</span>}>
            <Button type="primary" icon={<ThunderboltOutlined />} loading={init.isPending} onClick={() => init.mutate()}>
              {c.init}
            </Button>
          </Empty>
        ) : (
          <DataTable<CategoryRow>
            columns={columns}
            dataSource={items}
            loading={query.isFetching}
            emptyText={query.isError ? `${common.loadFailed}：${(query.error as Error).message}` : undefined}
          />
        )}
      </section>
      <OnDemand open={editing !== null}>
        {campaignId ? (
          <CategoryForm
            editing={editing}
            campaignId={campaignId}
            onClose={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              void refresh();
            }}
          />
        ) : null}
      </OnDemand>
    </>
  );
}
