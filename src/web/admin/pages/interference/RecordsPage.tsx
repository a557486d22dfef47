// “三个规定”记录查阅 (interference:read, restricted): the records in the viewer's scope with their number,
// quarter, regulation, manners, handling and recorder — never who intervened, the case or what was asked,
// and never a record naming the viewer. The content opens one record at a time, after an explicit 查看
// (each opening audited). Filters and the open record (?id=) live in the URL.
import { lazy } from 'react';
import type { Columns } from '../../components/DataTable.js';
import type { FilterDef } from '../../components/FilterBar.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { RowLink } from '../../components/RowLink.js';
import { formatDateTime } from '../../components/format.js';
import { useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { interference as it } from '../../i18n/index.js';
import { INTERFERENCE_CATEGORY_SHORT } from '../../../../shared/schemas/interference-labels.js';
import { browserPeriod, recentPeriods, RECORDS_KEY, type RecordRow } from './shared.js';

const l = it.records;
const r = it.record;
const RecordDetailDrawer = lazy(() => import('./RecordDetailDrawer.js'));
const FILTER_KEYS = ['period', 'category'] as const;

export default function RecordsPage() {
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;
  const openId = url.params.get('id');
  const list = useList<RecordRow>(RECORDS_KEY, { filters, onFiltersChange: url.onFiltersChange });
  const open = (id: string) => setUrl({ id }, true);
  const columns: Columns<RecordRow> = [
    {
      title: r.recordNo,
      dataIndex: 'recordNo',
      width: 160,
      render: (v: string, x) => (
        <RowLink label={l.open(v)} onOpen={() => open(x.id)}>
          {v}
        </RowLink>
      ),
    },
    { title: l.period, dataIndex: 'periodLabel', width: 150 },
    { title: r.occurredAt, dataIndex: 'occurredAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: l.category, dataIndex: 'categoryLabel', width: 130 },
    { title: r.intervenerKind, dataIndex: 'intervenerKindLabel', width: 110 },
    { title: r.manners, dataIndex: 'mannerLabels', render: (v: string[]) => v.join('、') },
    { title: r.handling, dataIndex: 'handlingLabel', width: 130 },
    { title: r.recorder, dataIndex: 'recorderName', width: 90 },
    { title: r.orgUnit, dataIndex: 'orgUnitName', width: 160, ellipsis: true },
  ];
  const defs: FilterDef[] = [
    { kind: 'select', name: 'period', label: l.period, width: 200, options: recentPeriods(browserPeriod(), 28) },
    { kind: 'select', name: 'category', label: l.category, width: 180, options: Object.entries(INTERFERENCE_CATEGORY_SHORT).map(([value, label]) => ({ value, label })) },
  ];
  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={l.subTitle}
      notice={
        <p className="notice warning" role="note">
          {l.restricted}
        </p>
      }
      filters={defs}
      table={{ minWidth: 1100, rowClassName: (x) => (x.id === openId ? 'ant-table-row-selected' : '') }}
    >
      <OnDemand open={openId !== null}>
        <RecordDetailDrawer id={openId} row={list.items.find((x) => x.id === openId) ?? null} onClose={() => setUrl({ id: null })} />
      </OnDemand>
    </ListPage>
  );
}
