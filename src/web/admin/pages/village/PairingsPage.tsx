// 结对管理 of the 1155 project: the pairings in scope (newest first; county, status in the URL), each
// opening its detail (this year's progress, the five deliverables and their evidence), and the villages
// (嘎查村/社区) with who is paired to each. The forms load when first opened.
import { lazy, useState } from 'react';
import { Button, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Panel } from '../../components/Panel.js';
import { Pager } from '../../components/Pager.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { village as vt } from '../../i18n/index.js';
import { PAIRING_STATUSES } from '../../../../shared/schemas/village-labels.js';
import { BOARD_KEY, PAIRINGS_KEY, VILLAGES_KEY, type PairingRow, type VillageRow } from './shared.js';

const t = vt.pairings;
const forms = () => import('./PairingForms.js');
const PairingDrawer = lazy(() => forms().then((m) => ({ default: m.PairingDrawer })));
const VillageDrawer = lazy(() => forms().then((m) => ({ default: m.VillageDrawer })));
const PairingDetailDrawer = lazy(() => forms().then((m) => ({ default: m.PairingDetailDrawer })));
const FILTER_KEYS = ['countyUnitId', 'status', 'id'] as const;

export default function PairingsPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const url = useUrlFilters(FILTER_KEYS);
  const { id: openId, ...listFilters } = url.filters;
  const list = useList<PairingRow>(PAIRINGS_KEY, { filters: listFilters, onFiltersChange: (next) => url.set({ countyUnitId: next.countyUnitId as string, status: next.status as string }) });
  const villages = useList<VillageRow>(VILLAGES_KEY, { pageSize: 10 });
  const [form, setForm] = useState<'pairing' | 'village' | null>(null);
  const refresh = () => invalidate(PAIRINGS_KEY, VILLAGES_KEY, BOARD_KEY);

  const defs: FilterDef[] = [
    { kind: 'unit', name: 'countyUnitId', label: vt.common.county, width: 220 },
    { kind: 'select', name: 'status', label: t.status, width: 140, options: Object.entries(PAIRING_STATUSES).map(([value, label]) => ({ value, label })) },
  ];
  const columns: Columns<PairingRow> = [
    { title: t.cadre, dataIndex: 'cadreName', width: 100 },
    { title: t.unit, dataIndex: 'unitName', ellipsis: true },
    { title: t.village, dataIndex: 'villageName', render: (v: string, r) => `${v}（${r.villageKindLabel}）` },
    { title: vt.common.county, dataIndex: 'countyName', responsive: ['lg'] },
    { title: t.term, key: 'term', width: 120, render: (_: unknown, r) => t.termText(r.startYear, r.endYear) },
    { title: t.deliverables, dataIndex: 'deliverablesDone', width: 110, render: (n: number) => t.deliverablesText(n) },
    { title: t.status, dataIndex: 'statusLabel', width: 90, render: (s: string, r) => <Tag color={r.status === 'active' ? 'processing' : 'default'}>{s}</Tag> },
    {
      title: t.actions, key: 'actions', width: 64,
      render: (_: unknown, r) => (
        <button type="button" className="link-action" aria-label={t.openOf(r.cadreName, r.villageName)} onClick={() => url.set({ id: r.id }, true)}>
          {t.open}
        </button>
      ),
    },
  ];
  const villageColumns: Columns<VillageRow> = [
    { title: t.village, dataIndex: 'name' },
    { title: t.kind, dataIndex: 'kindLabel', width: 70 },
    { title: vt.common.county, dataIndex: 'countyName' },
    { title: t.office, dataIndex: 'officeName', responsive: ['lg'], render: (v: string | null) => v ?? vt.common.none },
    { title: t.pairedWith, dataIndex: 'pairedWith', render: (v: string | null) => v ?? <span className="text-secondary">{t.notPaired}</span> },
  ];

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          can('village:write') ? (
            <>
              <Button icon={<PlusOutlined />} onClick={() => setForm('village')}>
                {t.addVillage}
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm('pairing')}>
                {t.addPairing}
              </Button>
            </>
          ) : null
        }
      />
      <div className="stack">
        <section className="panel stack" aria-label={t.pairingsTitle}>
          <FilterBar defs={defs} filters={list.filters} onChange={list.setFilters} onReset={list.resetFilters} />
          <DataTable<PairingRow> caption={t.pairingsTable} minWidth={900} {...list.tableProps} sort={undefined} onSort={undefined} columns={columns} />
          <Pager {...list.pager} />
        </section>
        <Panel title={t.villagesTitle}>
          <FilterBar
            defs={[{ kind: 'unit', name: 'countyUnitId', label: vt.common.county, width: 220 }, { kind: 'search', name: 'q', label: t.villageSearch, width: 200 }]}
            filters={villages.filters}
            onChange={villages.setFilters}
            onReset={villages.resetFilters}
          />
          <DataTable<VillageRow> size="small" caption={t.villagesTable} {...villages.tableProps} sort={undefined} onSort={undefined} columns={villageColumns} />
          <Pager {...villages.pager} sizes={[10, 20, 50]} />
        </Panel>
      </div>
      <OnDemand open={form === 'pairing'}>
        <PairingDrawer
          open={form === 'pairing'}
          onClose={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            void refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={form === 'village'}>
        <VillageDrawer
          open={form === 'village'}
          onClose={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            void refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={Boolean(openId)}>
        <PairingDetailDrawer id={openId ?? null} onClose={() => url.set({ id: null })} onChanged={() => void refresh()} />
      </OnDemand>
    </>
  );
}
