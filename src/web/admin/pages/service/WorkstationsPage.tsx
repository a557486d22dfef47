// 法律服务工作站: the 13 small/micro-enterprise legal service workstations with how many market entities
// each served, and above them the distinct entities served in the viewer's scope, by county. New and
// corrected workstations for service:write (the form loads when first opened).
import { lazy, useState } from 'react';
import { Button, Col, Row } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { formatDate } from '../../components/format.js';
import { ListPage } from '../../components/ListPage.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { Figure } from '../../components/StatCards.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { common, service as st } from '../../i18n/index.js';
import { SERVED_KEY, WORKSTATIONS_KEY, type Served, type WorkstationRow } from './shared.js';

const t = st.workstations;
const none = st.common.none;
const WorkstationForm = lazy(() => import('./WorkstationForm.js'));

function ServedPanel() {
  const q = useQuery({ queryKey: [SERVED_KEY], queryFn: () => api.get<Served>(SERVED_KEY) });
  const s = q.data;
  return (
    <section className="panel stack" aria-labelledby="served-title">
      <div className="panel-title">
        <h2 id="served-title">{t.stats}</h2>
      </div>
      {q.isError ? <LoadFailed error={q.error} onRetry={() => void q.refetch()} /> : null}
      <Row gutter={[16, 16]} data-testid="served-figures">
        {(
          [
            [t.entitiesServed, s?.entitiesServed],
            [t.totalRecords, s?.records],
            [t.healthChecked, s?.healthChecked],
          ] as const
        ).map(([title, value]) => (
          <Col key={title} xs={24} sm={8}>
            <Figure title={title} value={value ?? '—'} />
          </Col>
        ))}
      </Row>
      <DataTable<Served['byCounty'][number]>
        size="small"
        caption={t.byCountyTable}
        rowKey="orgUnitId"
        loading={q.isFetching}
        dataSource={s?.byCounty ?? []}
        columns={[
          { title: t.county, dataIndex: 'name' },
          { title: t.served, dataIndex: 'served', align: 'right', sorter: (a, b) => a.served - b.served },
          { title: t.records, dataIndex: 'records', align: 'right', sorter: (a, b) => a.records - b.records },
        ]}
      />
    </section>
  );
}

export default function WorkstationsPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const list = useList<WorkstationRow>(WORKSTATIONS_KEY, { pageSize: 50 });
  const [editing, setEditing] = useState<WorkstationRow | 'new' | null>(null);
  const columns: Columns<WorkstationRow> = [
    { title: t.name, dataIndex: 'name' },
    { title: t.unit, dataIndex: 'orgUnitName', width: 150 },
    { title: t.address, dataIndex: 'address', ellipsis: true, responsive: ['lg'], render: (v: string | null) => v ?? none },
    { title: t.contact, dataIndex: 'contact', width: 130, render: (v: string | null) => v ?? none },
    { title: t.staff, dataIndex: 'staffOnDuty', ellipsis: true, responsive: ['xl'], render: (v: string | null) => v ?? none },
    { title: t.openedOn, dataIndex: 'openedOn', width: 110, render: (v: string | null) => formatDate(v) || none },
    { title: t.served, dataIndex: 'served', width: 110, align: 'right' },
    { title: t.records, dataIndex: 'records', width: 90, align: 'right' },
    ...(can('service:write')
      ? ([
          {
            title: common.actions,
            key: 'actions',
            width: 64,
            render: (_: unknown, r: WorkstationRow) => (
              <button type="button" className="link-action" aria-label={t.editOf(r.name)} onClick={() => setEditing(r)}>
                {t.edit}
              </button>
            ),
          },
        ] as Columns<WorkstationRow>)
      : []),
  ];
  return (
    <ListPage<WorkstationRow>
      list={list}
      columns={columns}
      subTitle={t.subTitle}
      panelLabel={t.table}
      notice={null}
      table={{ rowKey: 'id', minWidth: 900 }}
      filters={[{ kind: 'unit', name: 'orgUnitId', label: t.unit, width: 220 }]}
      actions={
        can('service:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t.add}
          </Button>
        ) : null
      }
      aside={undefined}
    >
      <div style={{ marginTop: 16 }}>
        <ServedPanel />
      </div>
      <OnDemand open={editing !== null}>
        <WorkstationForm
          key={editing === 'new' ? 'new' : editing?.id}
          open={editing !== null}
          workstation={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void invalidate(WORKSTATIONS_KEY, SERVED_KEY);
          }}
        />
      </OnDemand>
    </ListPage>
  );
}
