// 自查报告提交情况: who in the viewer's scope has signed their self-check report and who has not, by
// unit and overall, the names still missing and 催报 (a notice to each of them). 整顿办 (selfcheck:review)
// also reviews the signed reports here: a list to open, each in a drawer with its content and a note.
import { lazy, useEffect, useMemo, useState } from 'react';
import { Button, Col, Row, Tag } from 'antd';
import { BellOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { useFeedback } from '../../components/feedback.js';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { Figure } from '../../components/StatCards.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList, type Filters } from '../../components/useList.js';
import { useOrgUnits } from '../../components/useOrgUnits.js';
import { useStatLabels } from '../../components/useStatLabels.js';
import { common, selfChecks as sc } from '../../i18n/index.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import { COVERAGE_KEY, MISSING_KEY, REPORTS_KEY, rollUp, type Coverage, type MissingRow, type ReportRow, type UnitSummary } from './shared.js';
import '../../components/data-table.css';
import './self-checks.css';

const c = sc.coverage;
const v = sc.review;
const ReportDrawer = lazy(() => import('./ReportDrawer.js'));
const rateOf = (u: { total: number; submitted: number }) => (u.total ? u.submitted / u.total : null);

export default function SelfChecksPage() {
  const can = useCan();
  const canReview = can('selfcheck:review');
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const { label, ready } = useStatLabels();
  const [view, setView] = useState<'' | 'review'>('');
  const [filters, setFilters] = useState<Filters>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const { data: campaigns = [] } = useCampaigns();

  const where = { campaignId: filters.campaignId, orgUnitId: filters.orgUnitId };
  const coverage = useQuery({ queryKey: [COVERAGE_KEY, where], queryFn: () => api.get<Coverage>(COVERAGE_KEY + qs(where)) });
  const missing = useList<MissingRow>(MISSING_KEY, { filters: where, onFiltersChange: setFilters, enabled: view === '' });
  const reports = useList<ReportRow>(REPORTS_KEY, {
    filters: { ...where, declared: filters.declared },
    onFiltersChange: setFilters,
    enabled: canReview && view === 'review',
  });

  // The campaign the server shows when none is chosen: named as the filter's empty choice.
  const [defaultId, setDefaultId] = useState<string>();
  useEffect(() => {
    if (!filters.campaignId && coverage.data) setDefaultId(coverage.data.campaignId);
  }, [filters.campaignId, coverage.data]);
  const campaignId = (filters.campaignId as string | undefined) ?? coverage.data?.campaignId;

  const cov = coverage.data;
  const refresh = () => invalidate(COVERAGE_KEY, MISSING_KEY, REPORTS_KEY);

  const remind = async () => {
    try {
      const r = await api.post<{ people: number; notified: number }>('/api/self-checks/remind', { campaignId, orgUnitId: filters.orgUnitId });
      message.success(c.reminded(r.notified, r.people));
    } catch (err) {
      showError(err);
    }
  };

  const defs: FilterDef[] = [
    ...(canReview
      ? [{ kind: 'tabs' as const, name: 'view', label: c.tabs, options: [{ value: '', label: c.tabCoverage }, { value: 'review', label: c.tabReview }] }]
      : []),
    campaignFilter(campaigns, defaultId),
    { kind: 'unit', name: 'orgUnitId', label: c.unit, width: 220 },
    ...(view === 'review' ? [{ kind: 'check' as const, name: 'declared', label: v.declaredOnly }] : []),
  ];

  const { data: orgUnits = [] } = useOrgUnits();
  const unitRows = useMemo(() => {
    const byId = new Map(orgUnits.map((u) => [u.id, u]));
    return rollUp(coverage.data?.units ?? [], (id) => byId.get(id));
  }, [coverage.data, orgUnits]);
  const unitColumns: Columns<UnitSummary> = [
    {
      title: c.unit,
      dataIndex: 'unitName',
      // A unit with units under it opens one level down; its own people are the row marked 本级.
      render: (name: string, r) =>
        r.own ? (
          c.ownPeople(name)
        ) : (
          <button type="button" className="link-button" title={c.openUnit(name)} onClick={() => setFilters({ ...filters, orgUnitId: r.unitId })}>
            {name}
          </button>
        ),
    },
    { title: c.total, dataIndex: 'total', align: 'right', sorter: (a, b) => a.total - b.total },
    { title: c.submitted, dataIndex: 'submitted', align: 'right', sorter: (a, b) => a.submitted - b.submitted },
    {
      title: c.missing,
      dataIndex: 'missing',
      align: 'right',
      sorter: (a, b) => a.missing - b.missing,
      render: (n: number) => (n ? <span className="text-danger">{n}</span> : n),
    },
    {
      title: c.rate,
      key: 'rate',
      align: 'right',
      sorter: (a, b) => (rateOf(a) ?? 0) - (rateOf(b) ?? 0),
      render: (_: unknown, r) => sc.common.percent(rateOf(r)),
    },
  ];

  const missingColumns: Columns<MissingRow> = [
    { title: c.name, dataIndex: 'name' },
    { title: c.policeNo, dataIndex: 'policeNo', render: (s: string | null) => s ?? sc.common.none },
    { title: c.orgUnit, dataIndex: 'orgUnitName' },
  ];

  const reportColumns: Columns<ReportRow> = [
    {
      title: v.personName,
      dataIndex: 'personName',
      render: (name: string, r) => (
        <button
          type="button"
          className="link-button"
          onClick={(e) => {
            e.stopPropagation();
            setOpenId(r.id);
          }}
        >
          {name}
        </button>
      ),
    },
    { title: v.orgUnit, dataIndex: 'orgUnitName' },
    { title: v.version, dataIndex: 'version', render: (n: number) => sc.common.version(n) },
    {
      title: v.declared,
      dataIndex: 'declaredCount',
      render: (n: number) => (n ? <Tag color="red">{sc.report.declared(n)}</Tag> : sc.report.declared(0)),
    },
    { title: v.signedAt, dataIndex: 'signedAt', render: (s: string) => formatTime(s) },
    {
      title: v.reviewed,
      dataIndex: 'reviewedAt',
      render: (s: string | null) => (s ? <Tag color="green">{v.reviewedTag}</Tag> : <Tag>{v.pendingTag}</Tag>),
    },
  ];

  return (
    <>
      <PageHeader
        subTitle={c.subTitle}
        extra={
          <>
            <Button
              icon={<ReloadOutlined />}
              aria-label={common.refresh}
              title={common.refresh}
              loading={coverage.isFetching && !coverage.isLoading}
              onClick={() => void refresh()}
            />
            {view === '' ? (
              <ConfirmButton
                variant="button"
                icon={<BellOutlined aria-hidden />}
                title={c.remindTitle(cov?.missing ?? 0)}
                description={c.remindHint}
                disabled={!cov?.missing || !campaignId}
                onConfirm={remind}
              >
                {c.remind}
              </ConfirmButton>
            ) : null}
          </>
        }
      />
      <section className="panel stack" aria-label={view === 'review' ? c.tabReview : c.tabCoverage}>
        <FilterBar
          defs={defs}
          filters={canReview ? { ...filters, view } : filters}
          onChange={(p) => {
            if ('view' in p) setView(p.view === 'review' ? 'review' : '');
            else setFilters((f) => Object.fromEntries(Object.entries({ ...f, ...p }).filter(([, x]) => x !== undefined)));
          }}
          onReset={() => setFilters({})}
        />
        {coverage.isError ? <LoadFailed error={coverage.error} onRetry={() => void coverage.refetch()} /> : null}
        {/* No figure before its registry name: a developer key never shows, even for a moment. */}
        {ready ? (
          <Row gutter={[16, 16]}>
            <Col xs={12} lg={6}>
              <Figure title={label('selfChecks.total')} value={cov?.total ?? '—'} />
            </Col>
            <Col xs={12} lg={6}>
              <Figure title={label('selfChecks.submitted')} value={cov?.submitted ?? '—'} />
            </Col>
            <Col xs={12} lg={6}>
              <Figure title={c.missingFigure} value={cov?.missing ?? '—'} />
            </Col>
            <Col xs={12} lg={6}>
              <Figure title={c.rateFigure} value={cov ? sc.common.percent(cov.rate) : '—'} />
            </Col>
          </Row>
        ) : null}
        {view === '' ? (
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <h2 className="selfcheck-heading">{c.byUnit}</h2>
              <DataTable<UnitSummary>
                size="small"
                caption={c.byUnit}
                rowKey="unitId"
                loading={coverage.isFetching}
                dataSource={unitRows}
                columns={unitColumns}
              />
            </Col>
            <Col xs={24} xl={10}>
              <h2 className="selfcheck-heading">{c.missingList}</h2>
              <DataTable<MissingRow>
                size="small"
                caption={c.missingList}
                rowKey="personId"
                {...missing.tableProps}
                emptyText={missing.tableProps.emptyText ?? c.allSubmitted}
                columns={missingColumns}
              />
              <Pager {...missing.pager} />
            </Col>
          </Row>
        ) : (
          <div>
            <DataTable<ReportRow>
              caption={v.listCaption}
              {...reports.tableProps}
              columns={reportColumns}
              onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
              rowClassName={(r) => (r.id === openId ? 'ant-table-row-selected' : '')}
            />
            <Pager {...reports.pager} />
          </div>
        )}
      </section>
      <OnDemand open={openId !== null}>
        <ReportDrawer id={openId} review onClose={() => setOpenId(null)} />
      </OnDemand>
    </>
  );
}
