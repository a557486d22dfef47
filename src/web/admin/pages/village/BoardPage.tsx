// 达标看板 of the 1155 project: for a year (this year by default), how many paired cadres have met the
// year's rule (≥5 services and ≥5 visits), are at risk or behind, per county and per cadre, with the
// linear year-end projection. A cadre's line opens their services and visits. Year, county and state
// live in the URL.
import { Button, Col, Row, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, qs } from '../../api.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Panel } from '../../components/Panel.js';
import { Figure } from '../../components/StatCards.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, village as vt } from '../../i18n/index.js';
import { COMPLIANCE_STATES } from '../../../../shared/schemas/village-labels.js';
import { BOARD_KEY, STATE_COLORS, type Board, type BoardCadre, type BoardCounty } from './shared.js';

const t = vt.board;
const FILTER_KEYS = ['year', 'countyUnitId', 'state'] as const;

export default function BoardPage() {
  const navigate = useNavigate();
  const url = useUrlFilters(FILTER_KEYS);
  const { filters } = url;
  const where = { year: filters.year, countyUnitId: filters.countyUnitId };
  const board = useQuery({ queryKey: [BOARD_KEY, where], queryFn: () => api.get<Board>(BOARD_KEY + qs(where)) });
  const b = board.data;
  const thisYear = new Date().getFullYear();
  const defs: FilterDef[] = [
    {
      kind: 'select', name: 'year', label: vt.common.year, width: 140, emptyLabel: `${thisYear} 年`,
      options: Array.from({ length: 5 }, (_, i) => thisYear - 1 - i).map((y) => ({ value: String(y), label: `${y} 年` })),
    },
    { kind: 'unit', name: 'countyUnitId', label: vt.common.county, width: 220 },
    { kind: 'select', name: 'state', label: t.stateFilter, width: 140, options: Object.entries(COMPLIANCE_STATES).map(([value, label]) => ({ value, label })) },
  ];
  const setFilters = (patch: Record<string, string | number | undefined>) =>
    url.set(Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === undefined ? null : String(v)])));
  const cadres = (b?.cadres ?? []).filter((c) => !filters.state || c.state === filters.state);

  const countyColumns: Columns<BoardCounty> = [
    {
      title: vt.common.county, dataIndex: 'countyName',
      render: (name: string, r) => (
        <button type="button" className="link-button" onClick={() => setFilters({ countyUnitId: r.countyUnitId })}>
          {name}
        </button>
      ),
    },
    { title: t.total, dataIndex: 'pairings', align: 'right' },
    { title: t.met, dataIndex: 'met', align: 'right' },
    { title: t.atRisk, dataIndex: 'at_risk', align: 'right' },
    { title: t.behind, dataIndex: 'behind', align: 'right', render: (n: number) => (n ? <span className="text-danger">{n}</span> : n) },
    { title: t.services, dataIndex: 'services', align: 'right' },
    { title: t.visits, dataIndex: 'visits', align: 'right' },
    { title: t.deliverables, dataIndex: 'deliverablesDone', align: 'right' },
  ];
  const cadreColumns: Columns<BoardCadre> = [
    {
      title: t.cadre, dataIndex: 'cadreName', width: 100,
      render: (name: string, r) => (
        <button type="button" className="link-button" title={t.openRecords(name)} onClick={() => navigate(`/village/records?pairingId=${r.pairingId}`)}>
          {name}
        </button>
      ),
    },
    { title: t.unit, dataIndex: 'unitName', ellipsis: true },
    { title: t.village, dataIndex: 'villageName' },
    { title: vt.common.county, dataIndex: 'countyName', responsive: ['lg'] },
    { title: t.services, dataIndex: 'services', align: 'right', sorter: (a, c) => a.services - c.services },
    { title: t.visits, dataIndex: 'visits', align: 'right', sorter: (a, c) => a.visits - c.visits },
    { title: t.projected, key: 'projected', align: 'right', render: (_: unknown, r) => `${r.projectedServices} / ${r.projectedVisits}` },
    { title: t.deliverables, dataIndex: 'deliverablesDone', align: 'right', render: (n: number) => `${n}/5` },
    { title: t.state, dataIndex: 'state', render: (s: BoardCadre['state'], r) => <Tag color={STATE_COLORS[s]}>{r.stateLabel}</Tag> },
  ];

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={<Button icon={<ReloadOutlined />} aria-label={common.refresh} title={common.refresh} loading={board.isFetching} onClick={() => void board.refetch()} />}
      />
      <div className="stack">
        <section className="panel stack" aria-label={t.byCounty}>
          <FilterBar defs={defs} filters={filters} onChange={setFilters} onReset={() => setFilters({ year: undefined, countyUnitId: undefined, state: undefined })} />
          {board.isError ? <LoadFailed error={board.error} onRetry={() => void board.refetch()} /> : null}
          {b ? (
            <p className="text-secondary" style={{ margin: 0 }}>
              {b.yearEnded ? t.yearEnded : t.elapsed(`${Math.round(b.elapsed * 1000) / 10}%`)}
            </p>
          ) : null}
          <Row gutter={[16, 16]} data-testid="village-totals">
            {(
              [
                [t.total, b?.totals.pairings],
                [t.met, b?.totals.met],
                [t.atRisk, b?.totals.at_risk],
                [t.behind, b?.totals.behind],
              ] as const
            ).map(([title, value]) => (
              <Col key={title} xs={12} lg={6}>
                <Figure title={title} value={value ?? '—'} />
              </Col>
            ))}
          </Row>
        </section>
        <Panel title={t.byCounty}>
          <DataTable<BoardCounty> size="small" caption={t.countyTable} rowKey="countyUnitId" loading={board.isFetching} dataSource={b?.counties ?? []} columns={countyColumns} />
        </Panel>
        <Panel title={t.cadres}>
          <DataTable<BoardCadre> caption={t.cadreTable} rowKey="pairingId" minWidth={900} loading={board.isFetching} dataSource={cadres} columns={cadreColumns} />
        </Panel>
      </div>
    </>
  );
}
