// 服务与走访记录 of the 1155 project, latest first, in the viewer's scope (an officer sees their own).
// Type, year and one pairing (opened from the board or a pairing) live in the URL. Records are made on
// the cadre's phone (the field entry, /field/), which keeps them while offline and sends them later.
import { Button } from 'antd';
import { MobileOutlined } from '@ant-design/icons';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatDate } from '../../components/format.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { village as vt } from '../../i18n/index.js';
import { RECORD_TYPES } from '../../../../shared/schemas/village-labels.js';
import { RECORDS_KEY, type RecordRow } from './shared.js';

const t = vt.records;
const FILTER_KEYS = ['type', 'year', 'pairingId'] as const;

export default function RecordsPage() {
  const url = useUrlFilters(FILTER_KEYS);
  const list = useList<RecordRow>(RECORDS_KEY, { filters: url.filters, onFiltersChange: url.onFiltersChange });
  const thisYear = new Date().getFullYear();
  const defs: FilterDef[] = [
    { kind: 'tabs', name: 'type', label: t.type, options: [{ value: '', label: vt.common.all }, ...Object.entries(RECORD_TYPES).map(([value, label]) => ({ value, label }))] },
    { kind: 'select', name: 'year', label: vt.common.year, width: 140, options: Array.from({ length: 5 }, (_, i) => thisYear - i).map((y) => ({ value: String(y), label: `${y} 年` })) },
  ];
  const columns: Columns<RecordRow> = [
    { title: t.heldOn, dataIndex: 'heldOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.type, dataIndex: 'typeLabel', width: 80 },
    { title: t.cadre, dataIndex: 'cadreName', width: 90 },
    { title: t.village, dataIndex: 'villageName', width: 130 },
    { title: t.kind, key: 'kind', render: (_: unknown, r) => r.serviceKindLabel ?? r.visited ?? vt.common.none },
    { title: t.place, dataIndex: 'place', ellipsis: true, responsive: ['lg'] },
    { title: t.people, dataIndex: 'peopleReached', align: 'right', width: 90, render: (v: number | null) => (v === null ? vt.common.none : v) },
    { title: t.photos, key: 'photos', width: 70, align: 'right', render: (_: unknown, r) => r.photos.length },
  ];
  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <Button icon={<MobileOutlined />} href="/field/">
            {t.fieldApp}
          </Button>
        }
      />
      <section className="panel stack" aria-label={t.table}>
        <FilterBar
          defs={defs}
          filters={list.filters}
          onChange={list.setFilters}
          onReset={list.resetFilters}
          extra={
            url.filters.pairingId ? (
              <Button size="small" onClick={() => list.setFilters({ pairingId: undefined })}>
                {t.pairingShown}：{t.clearPairing}
              </Button>
            ) : undefined
          }
        />
        <DataTable<RecordRow>
          caption={t.table}
          minWidth={860}
          {...list.tableProps}
          sort={undefined}
          onSort={undefined}
          columns={columns}
          expandable={{
            label: t.expand,
            expandedRowRender: (r) => (
              <div style={{ whiteSpace: 'pre-wrap' }}>
                <p style={{ marginTop: 0 }}>
                  <strong>{t.summary}：</strong>
                  {r.summary}
                </p>
                {r.photos.length ? (
                  <p style={{ marginBottom: 0 }}>
                    <strong>{t.photos}：</strong>
                    {r.photos.map((p) => (
                      <a key={p.id} href={`/api/files/${p.id}`} target="_blank" rel="noreferrer" style={{ marginInlineEnd: 8 }}>
                        {p.name}
                      </a>
                    ))}
                  </p>
                ) : null}
              </div>
            ),
          }}
        />
        <Pager {...list.pager} />
      </section>
    </>
  );
}
