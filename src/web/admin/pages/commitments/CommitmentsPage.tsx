// 证明事项告知承诺制: five tabs — the commitments registered (filter by item, unit, verification
// state; export with ID numbers masked), the catalogue of certificate items, the sampling queue (drawn,
// not yet verified, earliest due first, overdue in red), the dishonesty list and statistics per item.
// Registering a commitment answers its draw at once; the page says whether it was drawn. Forms load on demand.
import { lazy, useState } from 'react';
import { Alert, Button, Col, Row, Tabs, Tag } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, download, qs } from '../../api.js';
import { useCan, useMe } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { labelOptions } from '../../components/formParts.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { Figure } from '../../components/StatCards.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { commitments as ct } from '../../i18n/index.js';
import { VERIFY_STATUSES } from '../../../../shared/schemas/commitments-labels.js';
import '../cases/cases.css';
import {
  COMMITMENTS_KEY, DISHONESTY_KEY, ITEMS_KEY, STATS_KEY, type CertItem, type CommitmentRow, type DishonestyRow, type Registered, type StatRow,
} from './shared.js';

const t = ct.page;
const forms = () => import('./CommitmentForms.js');
const CommitmentDrawer = lazy(() => forms().then((m) => ({ default: m.CommitmentDrawer })));
const VerificationDrawer = lazy(() => forms().then((m) => ({ default: m.VerificationDrawer })));
const ItemDrawer = lazy(() => forms().then((m) => ({ default: m.ItemDrawer })));
const LiftModal = lazy(() => forms().then((m) => ({ default: m.LiftModal })));

const FILTER_KEYS = ['tab', 'itemId', 'orgUnitId', 'verifyStatus', 'overdue', 'active'] as const;
const TABS = ['records', 'queue', 'dishonesty', 'catalogue', 'stats'] as const;
type Tab = (typeof TABS)[number];

function useItems() {
  return useQuery({ queryKey: [ITEMS_KEY], queryFn: () => api.get<{ items: CertItem[] }>(ITEMS_KEY) });
}

const dueCell = (r: CommitmentRow) =>
  r.verifyDue ? (
    <span className={r.overdue ? 'text-danger' : undefined}>
      {formatDate(r.verifyDue)} {r.overdue ? <Tag color="red">{t.overdue}</Tag> : null}
    </span>
  ) : (
    ct.none
  );

export default function CommitmentsPage() {
  const can = useCan();
  const me = useMe();
  const write = can('commitments:write');
  // The catalogue is kept city-wide (the server refuses a county's change): only an all-data role edits it.
  const keeper = write && me.roles.some((r) => r.dataScope === 'all');
  const invalidate = useInvalidate();
  const { filters, set } = useUrlFilters(FILTER_KEYS);
  const tab: Tab = (TABS as readonly string[]).includes(filters.tab ?? '') ? (filters.tab as Tab) : 'records';
  const [form, setForm] = useState<'commitment' | 'item' | null>(null);
  const [verifying, setVerifying] = useState<CommitmentRow | null>(null);
  const [editingItem, setEditingItem] = useState<CertItem | null>(null);
  const [lifting, setLifting] = useState<DishonestyRow | null>(null);
  const [last, setLast] = useState<(Registered & { name: string }) | null>(null);
  const items = useItems();
  const itemList = items.data?.items ?? [];

  const setFilters = (patch: Record<string, string | number | undefined>) =>
    set(Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === undefined ? null : String(v)])));
  const refresh = () => invalidate(COMMITMENTS_KEY, DISHONESTY_KEY, STATS_KEY, ITEMS_KEY);

  const records = useList<CommitmentRow>(COMMITMENTS_KEY, {
    filters: { itemId: filters.itemId, orgUnitId: filters.orgUnitId, verifyStatus: filters.verifyStatus },
    enabled: tab === 'records',
  });
  const queue = useList<CommitmentRow>(COMMITMENTS_KEY, { filters: { queue: '1', overdue: filters.overdue }, enabled: tab === 'queue' });
  const dishonesty = useList<DishonestyRow>(DISHONESTY_KEY, { filters: { active: filters.active }, enabled: tab === 'dishonesty' });
  const stats = useQuery({
    queryKey: [STATS_KEY, filters.orgUnitId],
    queryFn: () => api.get<{ items: StatRow[]; totals: Omit<StatRow, 'itemId' | 'itemName' | 'departmentLabel' | 'samplingRate'> }>(STATS_KEY + qs({ orgUnitId: filters.orgUnitId })),
    enabled: tab === 'stats',
  });

  const verifyButton = (r: CommitmentRow) =>
    write && r.verifyStatus === 'pending' ? (
      <button type="button" className="link-action" aria-label={t.verifyOf(r.applicantName)} onClick={() => setVerifying(r)}>
        {t.verify}
      </button>
    ) : null;

  const recordColumns: Columns<CommitmentRow> = [
    { title: t.handledOn, dataIndex: 'handledOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.item, dataIndex: 'itemName', width: 150 },
    { title: t.applicant, dataIndex: 'applicantName', width: 140 },
    { title: t.idNo, dataIndex: 'applicantIdNo', width: 190 },
    { title: t.business, dataIndex: 'businessRef', ellipsis: true, responsive: ['lg'] },
    { title: t.unit, dataIndex: 'orgUnitName', width: 130, ellipsis: true, responsive: ['xl'] },
    {
      title: t.draw,
      key: 'draw',
      width: 170,
      render: (_: unknown, r) => (
        <>
          <Tag color={r.drawn ? 'orange' : undefined}>{r.drawn ? t.drawnTag : t.notDrawnTag}</Tag>
          <span className="text-secondary">{t.drawText(r.drawValue, r.samplingRate)}</span>
        </>
      ),
    },
    {
      title: t.verifyStatus,
      dataIndex: 'verifyStatusLabel',
      width: 100,
      render: (v: string, r) => <Tag color={r.verifyStatus === 'false' ? 'red' : r.verifyStatus === 'true' ? 'green' : r.verifyStatus === 'pending' ? 'gold' : undefined}>{v}</Tag>,
    },
    { title: t.due, key: 'due', width: 150, render: (_: unknown, r) => dueCell(r) },
    ...(write ? ([{ title: t.actions, key: 'actions', width: 80, render: (_: unknown, r: CommitmentRow) => verifyButton(r) }] as Columns<CommitmentRow>) : []),
  ];
  const expandable = {
    label: t.expand,
    expandedRowRender: (r: CommitmentRow) => (
      <dl style={{ margin: 0 }}>
        <div><dt>{t.business}</dt><dd>{r.businessRef}</dd></div>
        <div><dt>{t.signedAt}</dt><dd>{formatDateTime(r.signedAt)}</dd></div>
        <div><dt>{t.digest}</dt><dd style={{ wordBreak: 'break-all' }}>{r.digest}</dd></div>
        <div><dt>{t.verifiedOn}</dt><dd>{r.verifiedOn ? `${formatDate(r.verifiedOn)}（${r.verifyMethodLabel ?? ''}）${r.verifyNote ?? ''}` : ct.none}</dd></div>
      </dl>
    ),
  };

  const itemColumns: Columns<CertItem> = [
    { title: t.item, dataIndex: 'name', render: (v: string, r) => (r.enabled ? v : <>{v} <Tag>{t.disabled}</Tag></>) },
    { title: t.department, dataIndex: 'departmentLabel', width: 110 },
    { title: t.certificate, dataIndex: 'certificate', width: 150 },
    { title: t.allowed, dataIndex: 'commitmentAllowed', width: 110, render: (v: boolean) => (v ? t.yes : <Tag color="red">{t.no}</Tag>) },
    { title: t.rate, dataIndex: 'samplingRate', width: 90, align: 'right', render: (v: number) => `${v}%` },
    { title: t.verifyDays, dataIndex: 'verifyDays', width: 90, align: 'right', render: (v: number) => t.days(v) },
    { title: t.barMonths, dataIndex: 'barMonths', width: 100, align: 'right', render: (v: number) => t.months(v) },
    ...(keeper
      ? ([{
          title: t.actions, key: 'actions', width: 70,
          render: (_: unknown, r: CertItem) => (
            <button type="button" className="link-action" aria-label={t.editOf(r.name)} onClick={() => setEditingItem(r)}>{t.edit}</button>
          ),
        }] as Columns<CertItem>)
      : []),
  ];

  const dishonestyColumns: Columns<DishonestyRow> = [
    { title: t.applicant, dataIndex: 'applicantName', width: 160 },
    { title: t.idNo, dataIndex: 'applicantIdNo', width: 190 },
    { title: t.item, dataIndex: 'itemName' },
    { title: t.unit, dataIndex: 'orgUnitName', width: 140, responsive: ['lg'] },
    { title: t.listedOn, dataIndex: 'listedOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.barUntil, dataIndex: 'barUntil', width: 104, render: (v: string) => formatDate(v) },
    {
      title: t.state, key: 'state', width: 200,
      render: (_: unknown, r) => (r.liftedOn ? <span title={r.liftReason ?? undefined}>{t.lifted(formatDate(r.liftedOn))}</span> : r.active ? <Tag color="red">{t.inForce}</Tag> : t.expired),
    },
    ...(write
      ? ([{
          title: t.actions, key: 'actions', width: 90,
          render: (_: unknown, r: DishonestyRow) =>
            r.active ? (
              <button type="button" className="link-action" aria-label={t.liftOf(r.applicantName)} onClick={() => setLifting(r)}>{t.lift}</button>
            ) : null,
        }] as Columns<DishonestyRow>)
      : []),
  ];

  const statColumns: Columns<StatRow> = [
    { title: t.item, dataIndex: 'itemName' },
    { title: t.department, dataIndex: 'departmentLabel', width: 110 },
    { title: t.rate, dataIndex: 'samplingRate', width: 90, align: 'right', render: (v: number) => `${v}%` },
    { title: t.total, dataIndex: 'total', width: 90, align: 'right' },
    { title: t.drawn, dataIndex: 'drawn', width: 90, align: 'right' },
    { title: t.verified, dataIndex: 'verified', width: 90, align: 'right' },
    { title: t.falseCount, dataIndex: 'false', width: 90, align: 'right', render: (n: number) => (n ? <span className="text-danger">{n}</span> : n) },
    { title: t.dishonest, dataIndex: 'dishonest', width: 90, align: 'right' },
    { title: t.overdueCount, dataIndex: 'overdue', width: 90, align: 'right', render: (n: number) => (n ? <span className="text-danger">{n}</span> : n) },
  ];

  const recordDefs: FilterDef[] = [
    { kind: 'select', name: 'itemId', label: t.item, width: 220, options: itemList.map((i) => ({ value: i.id, label: i.name })) },
    { kind: 'unit', name: 'orgUnitId', label: t.unit, width: 220 },
    { kind: 'select', name: 'verifyStatus', label: t.verifyStatus, width: 140, options: labelOptions(VERIFY_STATUSES) },
  ];
  const totals = stats.data?.totals;

  const tabItems = [
    {
      key: 'records',
      label: t.records,
      children: (
        <div className="stack">
          {last ? (
            <Alert
              type={last.drawn ? 'warning' : 'success'}
              showIcon
              closable
              onClose={() => setLast(null)}
              role="status"
              data-testid="draw-result"
              title={`${t.lastDraw(last.name, last.drawValue, last.samplingRate)}${last.drawn ? t.drawnResult(formatDate(last.verifyDue)) : t.notDrawnResult}`}
            />
          ) : null}
          <FilterBar
            defs={recordDefs}
            filters={filters}
            onChange={setFilters}
            onReset={() => setFilters({ itemId: undefined, orgUnitId: undefined, verifyStatus: undefined })}
            extra={
              <Button icon={<DownloadOutlined />} onClick={() => download(`${COMMITMENTS_KEY}/export${qs(records.params)}`)}>
                {t.export}
              </Button>
            }
          />
          <DataTable<CommitmentRow> caption={t.recordsTable} minWidth={1100} {...records.tableProps} sort={undefined} onSort={undefined} columns={recordColumns} expandable={expandable} />
          <Pager {...records.pager} />
        </div>
      ),
    },
    {
      key: 'queue',
      label: t.queue,
      children: (
        <div className="stack">
          <p className="text-secondary" style={{ margin: 0 }}>{t.queueHelp}</p>
          <FilterBar defs={[{ kind: 'check', name: 'overdue', label: t.overdueOnly }]} filters={filters} onChange={setFilters} onReset={() => setFilters({ overdue: undefined })} />
          <DataTable<CommitmentRow>
            caption={t.queueTable}
            minWidth={960}
            {...queue.tableProps}
            sort={undefined}
            onSort={undefined}
            rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
            columns={recordColumns.filter((c) => c.key !== 'draw' && c.dataIndex !== 'verifyStatusLabel')}
            expandable={expandable}
          />
          <Pager {...queue.pager} />
        </div>
      ),
    },
    {
      key: 'dishonesty',
      label: t.dishonesty,
      children: (
        <div className="stack">
          <p className="text-secondary" style={{ margin: 0 }}>{t.dishonestyHelp}</p>
          <FilterBar defs={[{ kind: 'check', name: 'active', label: t.activeOnly }]} filters={filters} onChange={setFilters} onReset={() => setFilters({ active: undefined })} />
          <DataTable<DishonestyRow> caption={t.dishonestyTable} minWidth={960} {...dishonesty.tableProps} sort={undefined} onSort={undefined} columns={dishonestyColumns} />
          <Pager {...dishonesty.pager} />
        </div>
      ),
    },
    {
      key: 'catalogue',
      label: t.catalogue,
      children: <DataTable<CertItem> caption={t.catalogueTable} minWidth={900} rowKey="id" loading={items.isFetching} dataSource={itemList} columns={itemColumns} />,
    },
    {
      key: 'stats',
      label: t.stats,
      children: (
        <div className="stack">
          <FilterBar defs={[{ kind: 'unit', name: 'orgUnitId', label: t.unit, width: 220 }]} filters={filters} onChange={setFilters} onReset={() => setFilters({ orgUnitId: undefined })} />
          <Row gutter={[16, 16]}>
            {([[t.total, totals?.total], [t.drawn, totals?.drawn], [t.verified, totals?.verified], [t.falseCount, totals?.false], [t.dishonest, totals?.dishonest]] as const).map(([title, v]) => (
              <Col key={title} xs={12} md={8} xl={4}>
                <Figure title={title} value={v ?? '—'} />
              </Col>
            ))}
          </Row>
          <DataTable<StatRow> caption={t.statsTable} minWidth={900} rowKey="itemId" loading={stats.isFetching} dataSource={stats.data?.items ?? []} columns={statColumns} />
        </div>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          write ? (
            <>
              {keeper ? <Button icon={<PlusOutlined />} onClick={() => setForm('item')}>{t.addItem}</Button> : null}
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm('commitment')}>{t.add}</Button>
            </>
          ) : null
        }
      />
      <section className="panel">
        <Tabs destroyOnHidden activeKey={tab} onChange={(k) => setFilters({ tab: k === 'records' ? undefined : k })} items={tabItems} aria-label={t.tabs} />
      </section>
      <OnDemand open={form === 'commitment'}>
        <CommitmentDrawer
          open={form === 'commitment'}
          items={itemList}
          onClose={() => setForm(null)}
          onSaved={(r, name) => {
            setForm(null);
            setLast({ ...r, name });
            if (tab !== 'records') setFilters({ tab: undefined });
            void refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={Boolean(verifying)}>
        <VerificationDrawer
          key={verifying?.id}
          open={Boolean(verifying)}
          commitment={verifying}
          onClose={() => setVerifying(null)}
          onSaved={() => {
            setVerifying(null);
            void refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={form === 'item' || Boolean(editingItem)}>
        <ItemDrawer
          key={editingItem?.id ?? 'new'}
          open={form === 'item' || Boolean(editingItem)}
          item={editingItem}
          onClose={() => {
            setForm(null);
            setEditingItem(null);
          }}
          onSaved={() => {
            setForm(null);
            setEditingItem(null);
            void refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={Boolean(lifting)}>
        <LiftModal
          key={lifting?.id}
          open={Boolean(lifting)}
          entry={lifting}
          onClose={() => setLifting(null)}
          onSaved={() => {
            setLifting(null);
            void refresh();
          }}
        />
      </OnDemand>
    </>
  );
}
