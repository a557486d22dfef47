// 意见统计: counts by category, channel, status and unit, the on-time and satisfaction rates.
// Every figure opens its records: a bar, a slice, a tag or a table cell leads to 意见梳理 with the
// matching filter.
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { Col, Row } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed } from '../../components/LoadFailed.js';
import { api, qs } from '../../api.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { PageHeader } from '../../components/PageHeader.js';
import { Panel } from '../../components/Panel.js';
import { Figure } from '../../components/StatCards.js';
import { useStatLabels } from '../../components/useStatLabels.js';
import { common, opinions as ot } from '../../i18n/index.js';
import { Chart } from './Chart.js';
import { OPINION_STATS_KEY } from './shared.js';

const s = ot.stats;
const pct = ot.common.percent;

interface Count {
  code: string | null;
  label: string;
  count: number;
}
interface UnitRow {
  unitId: string | null;
  unitName: string;
  total: number;
  replied: number;
  due: number;
  onTime: number;
  overdue: number;
  onTimeRate: number | null;
  rated: number;
  satisfied: number;
  satisfactionRate: number | null;
}
export interface OpinionStats {
  total: number;
  byCategory: Count[];
  byChannel: Count[];
  byStatus: Count[];
  byUnit: UnitRow[];
  onTimeReplyRate: number | null;
  satisfactionRate: number | null;
  adoptedIntoLedger: number;
}

const COLORS = ['#1d4e89', '#3a7bd5', '#52a7e0', '#6cc3c1', '#8fd19e', '#f6c85f', '#f29e4c', '#e76f51', '#b5838d', '#6d597a', '#90a4ae', '#c9ada7', '#adb5bd'];
const STATUS_COLORS: Record<string, string> = { received: '#3a7bd5', assigned: '#f6c85f', replied: '#52c41a', rejected: '#adb5bd', merged: '#9254de' };

/** The figures under a chart as links: the same drill-down for keyboard and screen-reader users. */
function FigureTags({ rows, onOpen }: { rows: Count[]; onOpen: (c: Count) => void }) {
  return (
    <ul className="figure-tags">
      {rows.map((r) => (
        <li key={r.code ?? 'none'}>
          <button type="button" className="figure-tag" onClick={() => onOpen(r)}>
            {r.label} <b>{r.count}</b>
          </button>
        </li>
      ))}
    </ul>
  );
}

export default function StatsPage() {
  const navigate = useNavigate();
  // The four headline figures (and their per-unit columns) carry the statistics registry's names,
  // the same the home page shows.
  const { label, ready } = useStatLabels();
  const query = useQuery({ queryKey: [OPINION_STATS_KEY], queryFn: () => api.get<OpinionStats>('/api/opinions/stats') });
  const st = query.data;
  const open = (filters: Record<string, string | null | undefined>) => navigate(`/opinions${qs(filters)}`);
  const openCategory = (c: Count) => open({ category: c.code ?? 'none' });
  const openChannel = (c: Count) => open({ channel: c.code });
  const openStatus = (c: Count) => open({ status: c.code });
  // Unassigned opinions have no unit to filter on: they are the ones still waiting (受理, not yet assigned).
  const openUnit = (u: UnitRow, extra: Record<string, string> = {}) => open(u.unitId ? { unitId: u.unitId, ...extra } : { status: 'received', ...extra });

  const options = useMemo(() => {
    if (!st) return null;
    const cats = st.byCategory;
    return {
      category: {
        color: COLORS,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: cats.map((c) => c.label), axisLabel: { interval: 0, rotate: 35, fontSize: 11 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            type: 'bar',
            name: s.count,
            cursor: 'pointer',
            data: cats.map((c, i) => ({ value: c.count, itemStyle: { color: c.code ? COLORS[i % COLORS.length] : '#bfbfbf' } })),
            label: { show: true, position: 'top', fontSize: 11 },
            barMaxWidth: 36,
          },
        ],
      },
      channel: {
        color: COLORS,
        tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
        series: [
          {
            type: 'pie',
            name: s.byChannel,
            radius: ['38%', '66%'],
            center: ['50%', '50%'],
            cursor: 'pointer',
            data: st.byChannel.filter((c) => c.count > 0).map((c) => ({ name: c.label, value: c.count })),
            label: { formatter: '{b}\n{c}' },
          },
        ],
      },
      status: {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: st.byStatus.map((c) => c.label), inverse: true },
        series: [
          {
            type: 'bar',
            name: s.count,
            cursor: 'pointer',
            data: st.byStatus.map((c) => ({ value: c.count, itemStyle: { color: STATUS_COLORS[c.code ?? ''] ?? '#3a7bd5' } })),
            label: { show: true, position: 'right' },
            barMaxWidth: 28,
          },
        ],
      },
    };
  }, [st]);

  // The row opens the unit's opinions; a number inside it opens just those (answered, overdue).
  const cellLink = (text: string | number, go: () => void, danger = false) => (
    <button
      type="button"
      className={danger ? 'link-button text-danger' : 'link-button'}
      onClick={(e) => {
        e.stopPropagation();
        go();
      }}
    >
      {text}
    </button>
  );
  const unitColumns: Columns<UnitRow> = [
    {
      title: s.unit,
      dataIndex: 'unitName',
      render: (v: string, u) => cellLink(u.unitId ? v : s.unassigned, () => openUnit(u)),
    },
    { title: s.unitTotal, dataIndex: 'total', align: 'right', sorter: (x, y) => x.total - y.total },
    { title: s.replied, dataIndex: 'replied', align: 'right', render: (v: number, u) => cellLink(v, () => openUnit(u, { status: 'replied' })) },
    { title: s.onTime, key: 'onTime', align: 'right', render: (_: unknown, u) => `${u.onTime} / ${u.due}` },
    {
      title: s.overdue,
      dataIndex: 'overdue',
      align: 'right',
      render: (v: number, u) => (v ? cellLink(v, () => openUnit(u, { overdue: '1' }), true) : 0),
    },
    {
      title: label('opinions.onTimeReplyRate'),
      dataIndex: 'onTimeRate',
      align: 'right',
      sorter: (x, y) => (x.onTimeRate ?? -1) - (y.onTimeRate ?? -1),
      render: (v: number | null) => pct(v),
    },
    { title: s.rated, dataIndex: 'rated', align: 'right' },
    {
      title: label('opinions.satisfactionRate'),
      dataIndex: 'satisfactionRate',
      align: 'right',
      sorter: (x, y) => (x.satisfactionRate ?? -1) - (y.satisfactionRate ?? -1),
      render: (v: number | null) => pct(v),
    },
  ];

  if (query.isError) {
    return <LoadFailed error={query.error} />;
  }

  return (
    <>
      <PageHeader subTitle={s.subTitle} />
      {!st || !options || !ready ? (
        <p className="text-secondary">{common.loading}</p>
      ) : (
        <div className="stack">
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Figure title={label('opinions.total')} value={st.total} onClick={() => open({})} />
            </Col>
            <Col xs={12} md={6}>
              <Figure title={label('opinions.adoptedIntoLedger')} value={st.adoptedIntoLedger} />
            </Col>
            <Col xs={12} md={6}>
              <Figure title={label('opinions.onTimeReplyRate')} value={pct(st.onTimeReplyRate)} help={s.onTimeHelp} />
            </Col>
            <Col xs={12} md={6}>
              <Figure title={label('opinions.satisfactionRate')} value={pct(st.satisfactionRate)} help={s.satisfactionHelp} />
            </Col>
          </Row>
          <Panel style={{ height: '100%' }} title={s.byCategory}>
            <Chart
              option={options.category}
              height={340}
              ariaLabel={`${s.byCategory}：${st.byCategory.map((c) => `${c.label} ${c.count}`).join('，')}`}
              onItemClick={({ dataIndex }) => openCategory(st.byCategory[dataIndex]!)}
            />
            <FigureTags rows={st.byCategory} onOpen={openCategory} />
          </Panel>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Panel style={{ height: '100%' }} title={s.byChannel}>
                <Chart
                  option={options.channel}
                  height={320}
                  ariaLabel={`${s.byChannel}：${st.byChannel.map((c) => `${c.label} ${c.count}`).join('，')}`}
                  onItemClick={({ name }) => {
                    const c = st.byChannel.find((x) => x.label === name);
                    if (c) openChannel(c);
                  }}
                />
                <FigureTags rows={st.byChannel} onOpen={openChannel} />
              </Panel>
            </Col>
            <Col xs={24} lg={12}>
              <Panel style={{ height: '100%' }} title={s.byStatus}>
                <Chart
                  option={options.status}
                  height={320}
                  ariaLabel={`${s.byStatus}：${st.byStatus.map((c) => `${c.label} ${c.count}`).join('，')}`}
                  onItemClick={({ dataIndex }) => openStatus(st.byStatus[dataIndex]!)}
                />
                <FigureTags rows={st.byStatus} onOpen={openStatus} />
              </Panel>
            </Col>
          </Row>
          <Panel style={{ height: '100%' }} title={s.byUnit}>
            <DataTable<UnitRow>
              caption={s.byUnit}
              rowKey={(u) => u.unitId ?? 'none'}
              columns={unitColumns}
              dataSource={st.byUnit}
              size="small"
              onRow={(u) => ({ onClick: () => openUnit(u), style: { cursor: 'pointer' } })}
            />
          </Panel>
        </div>
      )}
    </>
  );
}
