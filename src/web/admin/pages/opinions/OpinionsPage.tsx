// 意见梳理: the triage workbench. Filters live in the URL, so the statistics page can open any figure's
// records here (drill-down) and ?id=<id> opens one opinion (links in notifications).
import { lazy } from 'react';
import { useNavigate } from 'react-router';
import { Button, Flex, Tag } from 'antd';
import { BarChartOutlined, PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { formatDate, formatTime } from '../../components/format.js';
import { ADOPTION_TARGETS, IDENTITY } from '../../../../shared/schemas/opinions.js';
import { opinions as ot } from '../../i18n/index.js';
import { channelLabel, channelOptions, OPINIONS_KEY, StatusTag, statusOptions, useCategories, type OpinionRow } from './shared.js';

const s = ot.list;
// The opinion's drawer (actions, history, the classifier's ranking) loads when an opinion is opened.
const OpinionDrawer = lazy(() => import('./OpinionDrawer.js').then((m) => ({ default: m.OpinionDrawer })));
const FILTER_KEYS = ['q', 'category', 'channel', 'status', 'unitId', 'identity', 'from', 'to', 'overdue'] as const;
const NOWRAP = { whiteSpace: 'nowrap' } as const;
const CLAMP2 = { display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden', minWidth: 180 } as const;
const identityOptions = Object.entries(IDENTITY).map(([value, label]) => ({ value, label }));

export default function OpinionsPage() {
  const can = useCan();
  const navigate = useNavigate();
  const { categoryLabel, categoryOptions } = useCategories();
  const url = useUrlFilters(FILTER_KEYS);
  const setFilters = url.set;
  const openId = url.params.get('id');

  // The filters are the URL's: the list follows them, and every filter change rewrites them.
  const list = useList<OpinionRow>(OPINIONS_KEY, { filters: url.filters, onFiltersChange: url.onFiltersChange });

  const columns: Columns<OpinionRow> = [
    {
      title: s.publicNo,
      dataIndex: 'publicNo',
      fixed: 'left',
      render: (v: string, r) => (
        <button
          type="button"
          className="link-button"
          style={NOWRAP}
          onClick={(e) => {
            e.stopPropagation();
            setFilters({ id: r.id }, true);
          }}
        >
          {v}
        </button>
      ),
    },
    {
      title: s.submittedAt,
      dataIndex: 'submittedAt',
      // Day over time: the column stays narrow enough for the whole row to fit a laptop screen.
      render: (v: string) => {
        const [day, time] = formatTime(v).split(' ');
        return (
          <div style={NOWRAP}>
            {day}
            <span className="text-secondary" style={{ display: 'block', fontSize: 12 }}>
              {time}
            </span>
          </div>
        );
      },
    },
    { title: s.channel, dataIndex: 'channel', render: (v: string) => <span style={NOWRAP}>{channelLabel(v)}</span> },
    {
      title: s.category,
      dataIndex: 'category',
      render: (v: string | null, r) =>
        v ? (
          <span style={NOWRAP}>{categoryLabel(v)}</span>
        ) : r.suggestedCategory && r.suggestedConfidence !== null ? (
          <Tag color="geekblue" variant="outlined">
            {s.suggested(categoryLabel(r.suggestedCategory), r.suggestedConfidence)}
          </Tag>
        ) : (
          <span className="text-secondary" style={NOWRAP}>
            {ot.common.unsorted}
          </span>
        ),
    },
    {
      // The one column that gives way: two lines at most, the whole text on hover.
      title: s.excerpt,
      dataIndex: 'excerpt',
      render: (v: string) => (
        <div style={CLAMP2} title={v}>
          {v}
        </div>
      ),
    },
    {
      title: s.status,
      dataIndex: 'status',
      render: (v: string, r) => (
        <Flex gap={2} wrap={false}>
          <StatusTag status={v} overdue={r.overdue} />
          {(r.adopted ?? []).map((a) => (
            <Tag key={a} color="cyan">
              {ADOPTION_TARGETS[a]}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: s.unit, dataIndex: 'assignedUnitName', render: (v: string | null) => <div style={{ minWidth: 84 }}>{v ?? ot.common.none}</div> },
    { title: s.deadline, dataIndex: 'deadlineAt', render: (v: string | null) => <span style={NOWRAP}>{formatDate(v)}</span> },
    {
      title: s.rating,
      dataIndex: 'rating',
      width: 96,
      // Stars as text: the rating control (and its tooltips) is for the drawer, not every row.
      render: (v: number | null) =>
        v ? (
          <span className="stars" style={NOWRAP} role="img" aria-label={ot.detail.ratingScore(v)}>
            {'★'.repeat(v)}
            <span className="stars-off">{'★'.repeat(5 - v)}</span>
          </span>
        ) : (
          ot.common.none
        ),
    },
  ];

  const categoryFilterOptions = [...categoryOptions, { value: 'none', label: ot.common.unsorted }];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={s.subTitle}
      exportPath={can('opinions:export') ? '/api/opinions/export' : undefined}
      actions={
        <>
          <Button icon={<BarChartOutlined />} onClick={() => navigate('/opinions/stats')}>
            {s.stats}
          </Button>
          {can('opinions:enter') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/opinions/new')}>
              {s.entry}
            </Button>
          ) : null}
        </>
      }
      filters={[
        { kind: 'search', name: 'q', label: s.q, width: 280 },
        { kind: 'select', name: 'category', label: s.category, options: categoryFilterOptions, width: 170 },
        { kind: 'select', name: 'channel', label: s.channel, options: channelOptions, width: 130 },
        { kind: 'select', name: 'status', label: s.status, options: statusOptions, width: 120 },
        { kind: 'unit', name: 'unitId', label: s.unit, width: 200 },
        { kind: 'select', name: 'identity', label: s.identity, options: identityOptions, width: 140 },
        { kind: 'dates', from: 'from', to: 'to', label: s.dateRange },
        { kind: 'check', name: 'overdue', label: s.overdueOnly },
      ]}
      table={{
        tableLayout: 'auto',
        minWidth: 980,
        onRow: (r) => ({ onClick: () => setFilters({ id: r.id }, true), style: { cursor: 'pointer' } }),
        rowClassName: (r) => (r.id === openId ? 'ant-table-row-selected' : ''),
      }}
    >
      <OnDemand open={openId !== null}>
        <OpinionDrawer id={openId} onClose={() => setFilters({ id: null })} onOpen={(id) => setFilters({ id }, true)} />
      </OnDemand>
    </ListPage>
  );
}
