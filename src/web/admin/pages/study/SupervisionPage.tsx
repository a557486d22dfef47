// 巡回指导: how many party organisations in the viewer's scope the roving supervision team has visited
// in the campaign (per unit, and those not yet visited), and the visits: what was found, what must be
// put right by when, done or overdue. Campaign and follow-up filter live in the URL. The forms (记录,
// 编辑, 整改完成) load when first opened.
import { lazy, useState } from 'react';
import { Button, Col, Row, Tag } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatDate } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { Panel } from '../../components/Panel.js';
import { Figure } from '../../components/StatCards.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useShownCampaign } from '../../components/useShownCampaign.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, study as st } from '../../i18n/index.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import { COVERAGE_KEY, STATS_KEY, VISITS_KEY, type Coverage, type FollowUpState, type Visit, type VisitPage } from './shared.js';
import './study.css';

const t = st.supervision;
const none = st.common.none;
const forms = () => import('./SupervisionForms.js');
const VisitFormDrawer = lazy(() => forms().then((m) => ({ default: m.VisitFormDrawer })));
const FollowUpDoneModal = lazy(() => forms().then((m) => ({ default: m.FollowUpDoneModal })));

const FILTER_KEYS = ['campaignId', 'followUp'] as const;
const NOT_VISITED_PAGE = 10;
const STATE_COLORS: Record<FollowUpState, string> = { none: 'default', open: 'blue', overdue: 'red', done: 'green' };
type UnitRow = Coverage['units'][number];
type NotVisitedRow = Coverage['notVisited'][number];

export default function SupervisionPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const [form, setForm] = useState<'create' | 'edit' | 'done' | null>(null);
  // The visit a form is about; kept after closing, so the form can slide out with it.
  const [visit, setVisit] = useState<Visit | null>(null);
  const openForm = (kind: 'create' | 'edit' | 'done', v: Visit | null) => {
    setVisit(v);
    setForm(kind);
  };
  const [notVisitedPage, setNotVisitedPage] = useState(1);
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;

  const visits = useList<Visit, VisitPage>(VISITS_KEY, { filters, onFiltersChange: url.onFiltersChange });
  const { campaignId, defaultId } = useShownCampaign(filters.campaignId, visits.query.isPlaceholderData ? undefined : visits.data?.campaignId);
  const { data: campaigns = [] } = useCampaigns();
  // The same campaign as the visits, asked for by name once known.
  const coverage = useQuery({
    queryKey: [COVERAGE_KEY, { campaignId: filters.campaignId }],
    queryFn: () => api.get<Coverage>(COVERAGE_KEY + qs({ campaignId: filters.campaignId })),
  });
  const cov = coverage.data;

  const refresh = () => invalidate(VISITS_KEY);
  const write = can('study:write');
  const defs: FilterDef[] = [
    campaignFilter(campaigns, defaultId),
    {
      kind: 'select',
      name: 'followUp',
      label: t.followUpFilter,
      options: [
        { value: 'open', label: t.followUpOpen },
        { value: 'done', label: t.followUpDone },
      ],
      width: 150,
    },
  ];

  const unitColumns: Columns<UnitRow> = [
    { title: t.unit, dataIndex: 'unitName' },
    { title: t.total, dataIndex: 'total', align: 'right', sorter: (a, b) => a.total - b.total },
    { title: t.covered, dataIndex: 'covered', align: 'right', sorter: (a, b) => a.covered - b.covered },
    {
      title: t.notCovered,
      key: 'missing',
      align: 'right',
      sorter: (a, b) => a.total - a.covered - (b.total - b.covered),
      render: (_: unknown, r) => (r.total - r.covered ? <span className="text-danger">{r.total - r.covered}</span> : 0),
    },
    {
      title: t.rate,
      key: 'rate',
      align: 'right',
      sorter: (a, b) => (a.total ? a.covered / a.total : 0) - (b.total ? b.covered / b.total : 0),
      render: (_: unknown, r) => st.common.percent(r.total ? r.covered / r.total : null),
    },
  ];

  const visitColumns: Columns<Visit> = [
    { title: t.visitedOn, dataIndex: 'visitedOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.partyOrg, dataIndex: 'partyOrgName', width: 180, ellipsis: true },
    { title: t.unit, dataIndex: 'orgUnitName', width: 140, ellipsis: true, responsive: ['xl'] },
    { title: t.team, dataIndex: 'team', width: 150, ellipsis: true },
    { title: t.findings, dataIndex: 'findings', ellipsis: true },
    {
      title: t.followUpDue,
      dataIndex: 'followUpDue',
      width: 104,
      render: (v: string | null, r) => <span className={r.followUpState === 'overdue' ? 'text-danger' : undefined}>{v ? formatDate(v) : none}</span>,
    },
    {
      title: t.state,
      dataIndex: 'followUpState',
      width: 96,
      render: (v: FollowUpState, r) => <Tag color={STATE_COLORS[v]}>{r.followUpStateLabel}</Tag>,
    },
    ...(write
      ? [{
          title: t.actions,
          key: 'actions',
          width: 150,
          render: (_: unknown, r: Visit) => (
            <span className="row-actions">
              <button type="button" className="link-action" onClick={() => openForm('edit', r)}>
                {st.common.edit}
              </button>
              {r.followUpState === 'open' || r.followUpState === 'overdue' ? (
                <button type="button" className="link-action" onClick={() => openForm('done', r)}>
                  {t.markDone}
                </button>
              ) : null}
            </span>
          ),
        }]
      : []),
  ];

  const notVisited = cov?.notVisited ?? [];
  const notVisitedShown = notVisited.slice((notVisitedPage - 1) * NOT_VISITED_PAGE, notVisitedPage * NOT_VISITED_PAGE);

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <>
            <Button
              icon={<ReloadOutlined />}
              aria-label={common.refresh}
              title={common.refresh}
              loading={(coverage.isFetching && !coverage.isLoading) || visits.query.isFetching}
              onClick={() => void refresh()}
            />
            {write && campaignId ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => openForm('create', null)}>
                {t.add}
              </Button>
            ) : null}
          </>
        }
      />
      <div className="stack">
        <section className="panel stack" aria-label={t.coverage}>
          <FilterBar
            defs={defs}
            filters={filters}
            onChange={(patch) => {
              setNotVisitedPage(1);
              setUrl(Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === undefined ? null : String(v)])));
            }}
            onReset={() => setUrl({ campaignId: null, followUp: null })}
          />
          {coverage.isError ? <LoadFailed error={coverage.error} onRetry={() => void coverage.refetch()} /> : null}
          <Row gutter={[16, 16]} data-testid="supervision-coverage">
            {(
              [
                [t.covered, cov?.covered],
                [t.total, cov?.total],
                [t.notCovered, cov ? cov.total - cov.covered : undefined],
                [t.rate, cov ? st.common.percent(cov.rate) : undefined],
              ] as const
            ).map(([title, value]) => (
              <Col key={title} xs={12} lg={6}>
                <Figure title={title} value={value ?? '—'} />
              </Col>
            ))}
          </Row>
        </section>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Panel title={t.byUnit}>
              <DataTable<UnitRow>
                size="small"
                caption={t.byUnitTable}
                rowKey={(r) => r.unitId ?? ''}
                loading={coverage.isFetching}
                dataSource={cov?.units ?? []}
                columns={unitColumns}
              />
            </Panel>
          </Col>
          <Col xs={24} xl={10}>
            <Panel title={`${t.notVisited}（${notVisited.length}）`}>
              <DataTable<NotVisitedRow>
                size="small"
                caption={t.notVisitedTable}
                rowKey="partyOrgId"
                loading={coverage.isFetching}
                dataSource={notVisitedShown}
                emptyText={cov ? t.allVisited : undefined}
                columns={[
                  { title: t.partyOrg, dataIndex: 'name' },
                  { title: t.unit, dataIndex: 'orgUnitName', render: (v: string | null) => v ?? none },
                ]}
              />
              {notVisited.length > NOT_VISITED_PAGE ? (
                <Pager
                  page={notVisitedPage}
                  pageSize={NOT_VISITED_PAGE}
                  total={notVisited.length}
                  totalText={common.totalOf(notVisited.length)}
                  sizes={[NOT_VISITED_PAGE]}
                  onChange={(p) => setNotVisitedPage(p)}
                />
              ) : null}
            </Panel>
          </Col>
        </Row>
        <Panel title={t.visits}>
          <DataTable<Visit>
            caption={t.visitsTable}
            minWidth={980}
            {...visits.tableProps}
            sort={undefined}
            onSort={undefined}
            columns={visitColumns}
            expandable={{
              label: t.expand,
              expandedRowRender: (r) => (
                <dl className="study-dl">
                  <dt>{t.team}</dt>
                  <dd>{r.team}</dd>
                  <dt>{t.findings}</dt>
                  <dd className="study-pre">{r.findings}</dd>
                  <dt>{t.followUp}</dt>
                  <dd className="study-pre">{r.followUp || none}</dd>
                  {r.followUpDoneOn ? (
                    <>
                      <dt>{t.doneOn}</dt>
                      <dd>{formatDate(r.followUpDoneOn)}</dd>
                      <dt>{t.result}</dt>
                      <dd className="study-pre">{r.followUpResult}</dd>
                    </>
                  ) : null}
                </dl>
              ),
            }}
          />
          <Pager {...visits.pager} />
        </Panel>
      </div>
      <OnDemand open={form === 'create' || form === 'edit'}>
        {campaignId ? (
          <VisitFormDrawer
            open={form === 'create' || form === 'edit'}
            campaignId={campaignId}
            visit={visit}
            onClose={() => setForm(null)}
            onSaved={() => {
              setForm(null);
              void invalidate(VISITS_KEY, STATS_KEY);
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={form === 'done'}>
        {visit ? (
          <FollowUpDoneModal
            open={form === 'done'}
            visit={visit}
            onClose={() => setForm(null)}
            onSaved={() => {
              setForm(null);
              void invalidate(VISITS_KEY);
            }}
          />
        ) : null}
      </OnDemand>
    </>
  );
}
