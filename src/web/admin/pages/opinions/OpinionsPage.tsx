// 意见梳理: the triage workbench. Filters live in the URL, so the statistics page can open any figure's
// records here (drill-down) and ?id=<id> opens one opinion (links in notifications).
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Checkbox, DatePicker, Flex, Input, Rate, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { BarChartOutlined, ClearOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { download, qs } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { PageHeader } from '../../components/PageHeader.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { useTable } from '../../components/useTable.js';
import { formatDate, formatTime } from '../../components/format.js';
import { ADOPTION_TARGETS, IDENTITY } from '../../../../shared/schemas/opinions.js';
import { ot } from './i18n.js';
import { OpinionDrawer } from './OpinionDrawer.js';
import { channelLabel, channelOptions, OPINIONS_KEY, StatusTag, statusOptions, useCategories, type OpinionRow } from './shared.js';

const s = ot.list;
const FILTER_KEYS = ['q', 'category', 'channel', 'status', 'unitId', 'identity', 'from', 'to', 'overdue'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const NOWRAP = { whiteSpace: 'nowrap' } as const;
const CLAMP2 = { display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden', minWidth: 180 } as const;
const identityOptions = Object.entries(IDENTITY).map(([value, label]) => ({ value, label }));

export default function OpinionsPage() {
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const { categoryLabel, categoryOptions } = useCategories();

  const filters = useMemo(() => {
    const f: Partial<Record<FilterKey, string>> = {};
    for (const k of FILTER_KEYS) {
      const v = params.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [params]);

  const setFilters = (patch: Partial<Record<FilterKey | 'id', string | null | undefined>>, push = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: !push });
  };
  const openId = params.get('id');

  const { tableProps } = useTable<OpinionRow>(OPINIONS_KEY, filters);

  const columns: TableColumnsType<OpinionRow> = [
    {
      title: s.publicNo,
      dataIndex: 'publicNo',
      fixed: 'left',
      render: (v: string, r) => (
        <Typography.Link
          style={NOWRAP}
          onClick={(e) => {
            e.stopPropagation();
            setFilters({ id: r.id }, true);
          }}
        >
          {v}
        </Typography.Link>
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
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {time}
            </Typography.Text>
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
          <Typography.Text type="secondary" style={NOWRAP}>
            {ot.common.unsorted}
          </Typography.Text>
        ),
    },
    {
      // The one column that gives way: two lines at most, the whole text on hover.
      title: s.excerpt,
      dataIndex: 'excerpt',
      render: (v: string) => (
        <Tooltip title={v} placement="topLeft">
          <div style={CLAMP2}>{v}</div>
        </Tooltip>
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
      render: (v: number | null) =>
        v ? <Rate disabled value={v} style={{ fontSize: 11, ...NOWRAP }} aria-label={ot.detail.ratingScore(v)} /> : ot.common.none,
    },
  ];

  const categoryFilterOptions = [...categoryOptions, { value: 'none', label: ot.common.unsorted }];
  const hasFilters = Object.keys(filters).length > 0;

  return (
    <>
      <PageHeader
        title={s.title}
        subTitle={s.subTitle}
        extra={
          <>
            {can('opinions:enter') ? (
              <Link to="/opinions/new">
                <Button type="primary" icon={<PlusOutlined />}>
                  {s.entry}
                </Button>
              </Link>
            ) : null}
            <Link to="/opinions/stats">
              <Button icon={<BarChartOutlined />}>{s.stats}</Button>
            </Link>
            {can('opinions:export') ? (
              <Button icon={<DownloadOutlined />} onClick={() => download(`/api/opinions/export${qs(filters)}`)}>
                {s.export}
              </Button>
            ) : null}
          </>
        }
      />
      <Card size="small">
        <Flex gap={8} wrap style={{ marginBottom: 12 }} role="search">
          <Input.Search
            key={`q-${filters.q ?? ''}`}
            allowClear
            defaultValue={filters.q}
            placeholder={s.q}
            aria-label={s.q}
            onSearch={(v) => setFilters({ q: v.trim() })}
            style={{ width: 260 }}
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={s.category}
            aria-label={s.category}
            options={categoryFilterOptions}
            value={filters.category}
            onChange={(v) => setFilters({ category: v })}
            style={{ width: 170 }}
          />
          <Select
            allowClear
            placeholder={s.channel}
            aria-label={s.channel}
            options={channelOptions}
            value={filters.channel}
            onChange={(v) => setFilters({ channel: v })}
            style={{ width: 130 }}
          />
          <Select
            allowClear
            placeholder={s.status}
            aria-label={s.status}
            options={statusOptions}
            value={filters.status}
            onChange={(v) => setFilters({ status: v })}
            style={{ width: 120 }}
          />
          <OrgTreeSelect
            allowClear
            placeholder={s.unit}
            value={filters.unitId ?? null}
            onChange={(v) => setFilters({ unitId: v })}
            style={{ width: 200 }}
          />
          <Select
            allowClear
            placeholder={s.identity}
            aria-label={s.identity}
            options={identityOptions}
            value={filters.identity}
            onChange={(v) => setFilters({ identity: v })}
            style={{ width: 140 }}
          />
          <DatePicker.RangePicker
            aria-label={s.dateRange}
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            onChange={(v) => setFilters({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
            allowEmpty={[true, true]}
            style={{ width: 250 }}
          />
          <Checkbox checked={filters.overdue === '1'} onChange={(e) => setFilters({ overdue: e.target.checked ? '1' : null })}>
            {s.overdueOnly}
          </Checkbox>
          {hasFilters ? (
            <Button
              icon={<ClearOutlined />}
              onClick={() => setFilters(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}
            >
              {s.reset}
            </Button>
          ) : null}
        </Flex>
        <Table<OpinionRow>
          {...tableProps}
          columns={columns}
          size="middle"
          tableLayout="auto"
          scroll={{ x: 980 }}
          onRow={(r) => ({
            onClick: () => setFilters({ id: r.id }, true),
            style: { cursor: 'pointer' },
          })}
          rowClassName={(r) => (r.id === openId ? 'ant-table-row-selected' : '')}
        />
      </Card>
      <OpinionDrawer id={openId} onClose={() => setFilters({ id: null })} onOpen={(id) => setFilters({ id }, true)} />
    </>
  );
}
