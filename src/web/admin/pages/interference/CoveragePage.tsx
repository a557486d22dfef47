// “三个规定”报告情况 (interference:coverage): for a quarter (the current one unless another is chosen),
// how many serving officers in the viewer's scope should report, have recorded, have filed a 零报告, have
// done neither — per unit, with the names still missing — and the year's counts by regulation, manner
// and quarter. Counts and names of those who report only: never a record's content or an intervener.
// Quarter and unit live in the URL.
import { Button, Col, Row } from 'antd';
import { BellOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../api.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { useFeedback } from '../../components/feedback.js';
import { useApiError } from '../../components/useApiError.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Panel } from '../../components/Panel.js';
import { Pager } from '../../components/Pager.js';
import { Figure } from '../../components/StatCards.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, interference as it } from '../../i18n/index.js';
import { browserPeriod, COVERAGE_KEY, MISSING_KEY, recentPeriods, STATS_KEY, type Coverage, type MissingRow, type Stats, type UnitCoverage } from './shared.js';

const t = it.coverage;
const FILTER_KEYS = ['period', 'orgUnitId'] as const;

export default function CoveragePage() {
  const invalidate = useInvalidate();
  const { filters, set: setUrl } = useUrlFilters(FILTER_KEYS);
  const current = browserPeriod();
  const period = filters.period ?? current;
  const where = { period, orgUnitId: filters.orgUnitId };
  const coverage = useQuery({ queryKey: [COVERAGE_KEY, where], queryFn: () => api.get<Coverage>(COVERAGE_KEY + qs(where)) });
  const missing = useList<MissingRow>(MISSING_KEY, { filters: where, pageSize: 10 });
  const year = Number(period.slice(0, 4));
  const stats = useQuery({
    queryKey: [STATS_KEY, { year, orgUnitId: filters.orgUnitId }],
    queryFn: () => api.get<Stats>(STATS_KEY + qs({ year, orgUnitId: filters.orgUnitId })),
  });
  const cov = coverage.data;
  const { message } = useFeedback();
  const showError = useApiError();
  const remind = async () => {
    try {
      const r = await api.post<{ people: number; notified: number }>('/api/interference/remind', where);
      message.success(t.reminded(r.notified, r.people));
    } catch (err) {
      showError(err);
    }
  };
  const setFilters = (patch: Record<string, string | number | undefined>) =>
    setUrl(Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === undefined ? null : String(v)])));

  const defs: FilterDef[] = [
    {
      kind: 'select',
      name: 'period',
      label: it.common.period,
      width: 220,
      emptyLabel: t.periodOption(recentPeriods(current, 1)[0]!.label, true),
      options: recentPeriods(current).slice(1),
    },
    { kind: 'unit', name: 'orgUnitId', label: it.common.unit, width: 220 },
  ];
  const unitColumns: Columns<UnitCoverage> = [
    {
      title: it.common.unit,
      dataIndex: 'unitName',
      render: (name: string, u) =>
        u.unitId === filters.orgUnitId ? (
          name
        ) : (
          <button type="button" className="link-button" title={t.openUnit(name)} onClick={() => setFilters({ orgUnitId: u.unitId })}>
            {name}
          </button>
        ),
    },
    { title: t.total, dataIndex: 'total', align: 'right', sorter: (a, b) => a.total - b.total },
    { title: t.reported, dataIndex: 'recorded', align: 'right', sorter: (a, b) => a.recorded - b.recorded },
    { title: t.zero, dataIndex: 'zeroReported', align: 'right', sorter: (a, b) => a.zeroReported - b.zeroReported },
    { title: t.missing, dataIndex: 'missing', align: 'right', sorter: (a, b) => a.missing - b.missing, render: (n: number) => (n ? <span className="text-danger">{n}</span> : n) },
  ];
  const missingColumns: Columns<MissingRow> = [
    { title: t.name, dataIndex: 'name' },
    { title: t.policeNo, dataIndex: 'policeNo', render: (v: string | null) => v ?? it.common.none },
    { title: t.orgUnit, dataIndex: 'orgUnitName' },
  ];
  const countColumns: Columns<{ key: string; label: string; count: number }> = [
    { title: t.item, dataIndex: 'label' },
    { title: t.count, dataIndex: 'count', align: 'right' },
  ];
  const periodColumns: Columns<Stats['byPeriod'][number]> = [
    { title: it.common.period, dataIndex: 'periodLabel' },
    { title: t.records, dataIndex: 'records', align: 'right' },
    { title: t.zeroReports, dataIndex: 'zeroReports', align: 'right' },
  ];

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
              loading={coverage.isFetching && !coverage.isLoading}
              onClick={() => void invalidate(COVERAGE_KEY, MISSING_KEY, STATS_KEY)}
            />
            <ConfirmButton
              variant="button"
              icon={<BellOutlined aria-hidden />}
              title={t.remindTitle(cov?.missing ?? 0, cov?.periodLabel ?? '')}
              description={t.remindHint}
              disabled={!cov?.missing}
              onConfirm={remind}
            >
              {t.remind}
            </ConfirmButton>
          </>
        }
      />
      <div className="stack">
        <section className="panel stack" aria-label={cov?.periodLabel ?? it.common.period}>
          <FilterBar defs={defs} filters={filters} onChange={setFilters} onReset={() => setFilters({ period: undefined, orgUnitId: undefined })} />
          {coverage.isError ? <LoadFailed error={coverage.error} onRetry={() => void coverage.refetch()} /> : null}
          <Row gutter={[16, 16]} data-testid="interference-coverage">
            {(
              [
                [t.total, cov?.total],
                [t.reported, cov?.recorded],
                [t.zero, cov?.zeroReported],
                [t.missing, cov?.missing],
                [t.rate, cov ? it.common.percent(cov.rate) : undefined],
              ] as const
            ).map(([title, value]) => (
              <Col key={title} xs={12} lg={4}>
                <Figure title={title} value={value ?? '—'} />
              </Col>
            ))}
          </Row>
        </section>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Panel title={t.byUnit}>
              <DataTable<UnitCoverage> size="small" caption={t.byUnitTable} rowKey="unitId" loading={coverage.isFetching} dataSource={cov?.units ?? []} columns={unitColumns} />
            </Panel>
          </Col>
          <Col xs={24} xl={10}>
            <Panel title={t.missingList}>
              <DataTable<MissingRow>
                size="small"
                caption={t.missingTable}
                rowKey="personId"
                {...missing.tableProps}
                emptyText={missing.tableProps.emptyText ?? t.allReported}
                columns={missingColumns}
              />
              {missing.total > missing.pageSize ? <Pager {...missing.pager} sizes={[10, 20, 50]} /> : null}
            </Panel>
          </Col>
        </Row>
        <Panel title={t.stats(year)}>
          {stats.isError ? <LoadFailed error={stats.error} onRetry={() => void stats.refetch()} /> : null}
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={8}>
              <DataTable size="small" caption={t.byCategoryTable} rowKey="key" loading={stats.isFetching} dataSource={stats.data?.byCategory ?? []} columns={countColumns} />
            </Col>
            <Col xs={24} lg={8}>
              <DataTable size="small" caption={t.byMannerTable} rowKey="key" loading={stats.isFetching} dataSource={stats.data?.byManner ?? []} columns={countColumns} />
            </Col>
            <Col xs={24} lg={8}>
              <DataTable size="small" caption={t.byPeriodTable} rowKey="period" loading={stats.isFetching} dataSource={stats.data?.byPeriod ?? []} columns={periodColumns} />
            </Col>
          </Row>
        </Panel>
      </div>
    </>
  );
}
