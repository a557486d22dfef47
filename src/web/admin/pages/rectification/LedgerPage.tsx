// 整治台账 (and 项目清单): one campaign's problems with their category, responsible unit and person, how
// and by when they are fixed, progress and state. Filters live in the URL, so the overdue reminder's
// link (?state=overdue) opens the overdue items and ?id=<id> opens one item. The list loads alone; the
// item's drawer and the forms when first opened.
import { lazy, useEffect, useState } from 'react';
import { Button } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import type { FilterDef } from '../../components/FilterBar.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { formatDate } from '../../components/format.js';
import { useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { rectification as rt } from '../../i18n/index.js';
import { ITEM_LISTS, ITEM_SOURCES, ITEM_STATES, type ItemList } from '../../../../shared/schemas/rectification-labels.js';
import { ItemProgress, StateTag } from './ItemState.js';
import { campaignFilter, categoryText, ITEMS_KEY, useCampaigns, useCategoriesOf, useDefaultCampaign, type ItemPage, type ItemRow } from './shared.js';

const l = rt.list;
const ItemDrawer = lazy(() => import('./ItemDrawer.js'));
const ImportModal = lazy(() => import('../../components/ImportModal.js'));
const ItemFormDrawer = lazy(() => import('./ItemForms.js').then((m) => ({ default: m.ItemFormDrawer })));

const FILTER_KEYS = ['campaignId', 'list', 'state', 'orgUnitId', 'categoryId', 'source', 'q'] as const;
const NOWRAP = { whiteSpace: 'nowrap' } as const;
const stateOptions = Object.entries(ITEM_STATES).map(([value, label]) => ({ value, label }));
const sourceOptions = Object.entries(ITEM_SOURCES).map(([value, label]) => ({ value, label }));
// 整治台账 is the server's default list: its tab is the empty value.
const listTabs = [
  { value: '', label: ITEM_LISTS.ledger },
  { value: 'project', label: ITEM_LISTS.project },
];

export default function LedgerPage() {
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;
  const openId = url.params.get('id');

  const list = useList<ItemRow, ItemPage>(ITEMS_KEY, {
    filters,
    // Categories belong to a campaign: another campaign, no category filter.
    onFiltersChange: (next) => url.onFiltersChange(next.campaignId === filters.campaignId ? next : { ...next, categoryId: undefined }),
  });

  // The campaign shown: the one chosen, else the server's default, which the list answers with.
  const answered = list.query.isPlaceholderData ? undefined : list.data?.campaignId;
  const [known, setKnown] = useState<string | null>();
  useEffect(() => {
    if (!filters.campaignId && answered !== undefined) setKnown(answered);
  }, [filters.campaignId, answered]);
  const asked = useDefaultCampaign(Boolean(filters.campaignId) && known === undefined);
  const defaultId = known !== undefined ? known : asked.data;
  const campaignId = filters.campaignId ?? answered ?? defaultId ?? null;

  const { data: campaigns = [] } = useCampaigns();
  const { data: categories = [] } = useCategoriesOf(campaignId);

  const columns: Columns<ItemRow> = [
    { title: l.number, dataIndex: 'number', width: 64, render: (v: string) => <span style={NOWRAP}>{v}</span> },
    {
      title: l.title,
      dataIndex: 'title',
      render: (v: string, r) => (
        <div style={{ minWidth: 180 }}>
          <button
            type="button"
            className="link-button"
            onClick={(e) => {
              e.stopPropagation();
              setUrl({ id: r.id }, true);
            }}
          >
            {v}
          </button>
          {r.childCount > 0 ? <div className="text-secondary" style={{ fontSize: 12 }}>{l.children(r.childCount)}</div> : null}
        </div>
      ),
    },
    { title: l.category, dataIndex: 'categoryName', width: 150, ellipsis: true, render: (v: string | null) => v ?? rt.common.none },
    { title: l.unit, dataIndex: 'orgUnitName', width: 140, ellipsis: true },
    { title: l.person, dataIndex: 'responsiblePersonName', width: 84, ellipsis: true, render: (v: string | null) => v ?? rt.common.none },
    { title: l.mode, dataIndex: 'modeLabel', width: 90, render: (v: string) => <span style={NOWRAP}>{v}</span> },
    {
      title: l.deadline,
      dataIndex: 'deadline',
      width: 104,
      render: (v: string | null, r) => (
        <span className={r.state === 'overdue' ? 'text-danger' : undefined} style={NOWRAP}>
          {formatDate(v)}
        </span>
      ),
    },
    { title: l.progress, dataIndex: 'progress', width: 140, render: (_: number, r) => <ItemProgress item={r} /> },
    { title: l.state, dataIndex: 'state', width: 84, render: (_: string, r) => <StateTag item={r} /> },
    { title: l.isPublic, dataIndex: 'isPublic', width: 56, render: (v: boolean) => (v ? rt.common.yes : rt.common.no) },
  ];

  const filterDefs: FilterDef[] = [
    { kind: 'tabs', name: 'list', label: l.list, options: listTabs },
    campaignFilter(campaigns, defaultId),
    { kind: 'search', name: 'q', label: l.q, width: 200 },
    { kind: 'select', name: 'state', label: l.state, options: stateOptions, width: 110 },
    // The unit tree is for those who may read it; an officer's ledger is their own items anyway.
    ...(can('org:read') ? [{ kind: 'unit' as const, name: 'orgUnitId', label: l.unit, width: 160 }] : []),
    { kind: 'select', name: 'categoryId', label: l.category, options: categories.map((c) => ({ value: c.id, label: categoryText(c) })), width: 170 },
    { kind: 'select', name: 'source', label: l.source, options: sourceOptions, width: 130 },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={l.subTitle}
      exportPath={`${ITEMS_KEY}/export`}
      filters={filterDefs}
      actions={
        can('rectification:write') && campaignId ? (
          <>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {l.importButton}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {l.add}
            </Button>
          </>
        ) : null
      }
      table={{
        minWidth: 1080,
        onRow: (r) => ({ onClick: () => setUrl({ id: r.id }, true), style: { cursor: 'pointer' } }),
        rowClassName: (r) => (r.id === openId ? 'ant-table-row-selected' : ''),
      }}
    >
      <OnDemand open={creating}>
        {campaignId ? (
          <ItemFormDrawer
            open={creating}
            target={{ kind: 'create', campaignId, list: (filters.list as ItemList | undefined) ?? 'ledger' }}
            onClose={() => setCreating(false)}
            onSaved={(id) => {
              setCreating(false);
              setUrl({ id }, true);
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={importing}>
        {campaignId ? (
          <ImportModal
            open={importing}
            onClose={() => setImporting(false)}
            onImported={() => void list.reload()}
            title={l.importTitle}
            rowIs={l.importRowIs}
            templatePath={`${ITEMS_KEY}/import-template`}
            importPath={`${ITEMS_KEY}/import`}
            query={{ campaignId, list: (filters.list as ItemList | undefined) ?? 'ledger' }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={openId !== null}>
        <ItemDrawer id={openId} onClose={() => setUrl({ id: null })} onOpen={(id) => setUrl({ id }, true)} />
      </OnDemand>
    </ListPage>
  );
}
