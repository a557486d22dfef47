// “三个规定”记录报告 for every officer: where they stand this quarter and the three before (recorded,
// 零报告, or not yet), the 零报告 button for the current quarter, the 记录报告 form, and their own
// records (content shown: they wrote it) and 零报告 with the signature's digest. The forms load when
// first opened.
import { lazy, useState } from 'react';
import { Button, Tag } from 'antd';
import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { formatDateTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Panel } from '../../components/Panel.js';
import { Pager } from '../../components/Pager.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { common, interference as it } from '../../i18n/index.js';
import { RecordContent } from './RecordContent.js';
import { MINE_KEY, MY_RECORDS_KEY, type Mine, type RecordDetail, type ZeroReport } from './shared.js';

const t = it.mine;
const r = it.record;
const forms = () => import('./RecordForms.js');
const RecordDrawer = lazy(() => forms().then((m) => ({ default: m.RecordDrawer })));
const ZeroReportModal = lazy(() => forms().then((m) => ({ default: m.ZeroReportModal })));

const STATUS_COLOR = { recorded: 'blue', zero: 'green', missing: 'red' } as const;

export default function MyInterferencePage() {
  const invalidate = useInvalidate();
  const [form, setForm] = useState<'record' | 'zero' | null>(null);
  const query = useQuery({ queryKey: [MINE_KEY], queryFn: () => api.get<Mine>(MINE_KEY) });
  const records = useList<RecordDetail>(MY_RECORDS_KEY, { pageSize: 10 });
  const mine = query.data;
  const current = mine?.periods[0];
  const refresh = () => invalidate(MINE_KEY, MY_RECORDS_KEY);

  const periodColumns: Columns<Mine['periods'][number]> = [
    { title: t.periodCol, dataIndex: 'periodLabel', render: (v: string, p) => (p.period === mine?.currentPeriod ? `${v}（${t.current}）` : v) },
    { title: t.statusCol, dataIndex: 'status', render: (_: string, p) => <Tag color={STATUS_COLOR[p.status]}>{p.statusLabel}</Tag> },
    { title: t.recordsCol, dataIndex: 'records', align: 'right' },
    {
      title: t.zeroCol,
      key: 'zero',
      render: (_: unknown, p) => (p.zeroReport ? `${formatDateTime(p.zeroReport.signedAt)}${p.zeroReport.superseded ? t.superseded : ''}` : it.common.none),
    },
  ];
  const recordColumns: Columns<RecordDetail> = [
    { title: r.recordNo, dataIndex: 'recordNo', width: 150 },
    { title: r.occurredAt, dataIndex: 'occurredAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: r.category, dataIndex: 'categoryLabel', width: 130 },
    { title: r.intervener, key: 'who', render: (_: unknown, x) => x.intervener.name },
    { title: r.manners, dataIndex: 'mannerLabels', render: (v: string[]) => v.join('、') },
    { title: r.handling, dataIndex: 'handlingLabel', width: 120 },
  ];
  const zeroColumns: Columns<ZeroReport> = [
    { title: t.periodCol, dataIndex: 'periodLabel' },
    { title: t.signedName, dataIndex: 'signedName' },
    { title: t.signedAt, dataIndex: 'signedAt', render: (v: string) => formatDateTime(v) },
    {
      title: t.digest,
      dataIndex: 'digest',
      render: (v: string, z) => (
        <span title={v}>
          <code>{v.slice(0, 16)}…</code> {z.intact ? <Tag color="green">{t.intact}</Tag> : <Tag color="red">{t.broken}</Tag>}
          {z.superseded ? <span className="text-secondary">{t.superseded}</span> : null}
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <>
            <Button icon={<ReloadOutlined />} aria-label={common.refresh} title={common.refresh} loading={query.isFetching && !query.isLoading} onClick={() => void refresh()} />
            {mine?.canRecord && current?.status === 'missing' ? (
              <Button icon={<EditOutlined />} onClick={() => setForm('zero')}>
                {t.zeroReportFor(current.periodLabel)}
              </Button>
            ) : null}
            {mine?.canRecord ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm('record')}>
                {t.record}
              </Button>
            ) : null}
          </>
        }
      />
      <div className="stack">
        <p className="notice" role="note">
          {t.intro}
        </p>
        {query.isError ? <LoadFailed error={query.error} onRetry={() => void query.refetch()} /> : null}
        {mine && !mine.canRecord ? <p className="notice warning">{t.noPerson}</p> : null}
        <Panel title={t.status}>
          <DataTable<Mine['periods'][number]> size="small" caption={t.statusTable} rowKey="period" loading={query.isFetching} dataSource={mine?.periods ?? []} columns={periodColumns} />
        </Panel>
        <Panel title={t.records}>
          <DataTable<RecordDetail>
            caption={t.recordsTable}
            minWidth={820}
            {...records.tableProps}
            sort={undefined}
            onSort={undefined}
            emptyText={records.tableProps.emptyText ?? t.noRecords}
            columns={recordColumns}
            expandable={{ label: common.expand, expandedRowRender: (x) => <RecordContent record={x} /> }}
          />
          {records.total > records.pageSize ? <Pager {...records.pager} /> : null}
        </Panel>
        <Panel title={t.zeroReports}>
          <DataTable<ZeroReport> size="small" caption={t.zeroReportsTable} rowKey="id" dataSource={mine?.zeroReports ?? []} columns={zeroColumns} />
        </Panel>
      </div>
      <OnDemand open={form === 'record'}>
        <RecordDrawer
          open={form === 'record'}
          onClose={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            void refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={form === 'zero'}>
        {mine ? (
          <ZeroReportModal
            open={form === 'zero'}
            period={mine.currentPeriod}
            statement={mine.statement}
            onClose={() => setForm(null)}
            onSaved={() => {
              setForm(null);
              void refresh();
            }}
          />
        ) : null}
      </OnDemand>
    </>
  );
}
