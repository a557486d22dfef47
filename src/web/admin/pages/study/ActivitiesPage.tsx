// 学习活动: a campaign's study sessions in the nine modes ("九学"), newest first, with what each credits
// (学时) and how many came of those expected; the figures of the nine modes on top (GET /api/stats, the
// default campaign). Filters live in the URL; ?id= opens one activity (its attendance, the live QR code),
// ?series= a morning-sharing series' rota. The drawers and forms load when first opened.
import { lazy, useEffect, useState } from 'react';
import { Button, Tag } from 'antd';
import { CalendarOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import type { FilterDef } from '../../components/FilterBar.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { RowLink } from '../../components/RowLink.js';
import { Figure } from '../../components/StatCards.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useShownCampaign } from '../../components/useShownCampaign.js';
import { useStatLabels } from '../../components/useStatLabels.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { study as st } from '../../i18n/index.js';
import { STUDY_MODE_CODES, STUDY_MODES, type StudyMode } from '../../../../shared/schemas/study-labels.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import {
  ACTIVITIES_KEY, attendanceRate, clock, MODE_COLORS, STATS_KEY, useTopics, type ActivityPage, type ActivityRow, type StudyStats,
} from './shared.js';
import './study.css';

const t = st.activities;
const drawers = () => import('./ActivityDrawer.js');
const ActivityDrawer = lazy(() => drawers().then((m) => ({ default: m.ActivityDrawer })));
const SeriesDrawer = lazy(() => drawers().then((m) => ({ default: m.SeriesDrawer })));
const forms = () => import('./ActivityForms.js');
const ActivityFormDrawer = lazy(() => forms().then((m) => ({ default: m.ActivityFormDrawer })));
const SeriesFormDrawer = lazy(() => forms().then((m) => ({ default: m.SeriesFormDrawer })));

const FILTER_KEYS = ['campaignId', 'mode', 'orgUnitId', 'topicId', 'from', 'to'] as const;
const modeOptions = STUDY_MODE_CODES.map((m) => ({ value: m, label: STUDY_MODES[m] }));

export default function ActivitiesPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const [form, setForm] = useState<'activity' | 'series' | null>(null);
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;
  const openId = url.params.get('id');
  const seriesId = url.params.get('series');

  const list = useList<ActivityRow, ActivityPage>(ACTIVITIES_KEY, {
    filters,
    // Topics belong to a campaign: another campaign, no topic filter.
    onFiltersChange: (next) => url.onFiltersChange(next.campaignId === filters.campaignId ? next : { ...next, topicId: undefined }),
  });
  const { campaignId: shownCampaign, defaultId } = useShownCampaign(filters.campaignId, list.query.isPlaceholderData ? undefined : list.data?.campaignId);
  // The last campaign shown: a refetch of the list (placeholder data) must not unmount an open form.
  const [lastCampaign, setLastCampaign] = useState<string>();
  useEffect(() => {
    if (shownCampaign) setLastCampaign(shownCampaign);
  }, [shownCampaign]);
  const campaignId = shownCampaign ?? (form ? lastCampaign : undefined);
  const { data: campaigns = [] } = useCampaigns();
  const { data: topics = [] } = useTopics(campaignId);

  const open = (id: string) => setUrl({ id }, true);
  const columns: Columns<ActivityRow> = [
    {
      title: t.date,
      dataIndex: 'heldOn',
      width: 112,
      render: (v: string, r) => (
        <span className="nowrap">
          {v}
          <br />
          <span className="text-secondary">{t.timeRange(clock(r.startsAt), clock(r.endsAt))}</span>
        </span>
      ),
    },
    { title: t.mode, dataIndex: 'mode', width: 150, render: (v: StudyMode, r) => <Tag color={MODE_COLORS[v]}>{r.modeLabel}</Tag> },
    {
      title: t.title,
      dataIndex: 'title',
      render: (v: string, r) => (
        <div style={{ minWidth: 180 }}>
          <RowLink onOpen={() => open(r.id)}>{v}</RowLink>
          {r.topicTitle ? <div className="text-secondary small-text">{r.topicTitle}</div> : null}
        </div>
      ),
    },
    { title: t.organiser, dataIndex: 'orgUnitName', width: 140, ellipsis: true },
    { title: t.speaker, dataIndex: 'speaker', width: 120, ellipsis: true, responsive: ['xl'], render: (v: string | null) => v ?? st.common.none },
    { title: t.hours, dataIndex: 'hours', width: 64, align: 'right' },
    { title: t.attendance, key: 'attendance', width: 96, align: 'right', render: (_: unknown, r) => `${r.attendedCount} / ${r.expectedCount}` },
    { title: t.rate, key: 'rate', width: 80, align: 'right', render: (_: unknown, r) => st.common.percent(attendanceRate(r)) },
  ];

  const filterDefs: FilterDef[] = [
    campaignFilter(campaigns, defaultId),
    { kind: 'select', name: 'mode', label: t.mode, options: modeOptions, width: 170 },
    { kind: 'unit', name: 'orgUnitId', label: t.unit, width: 180 },
    { kind: 'select', name: 'topicId', label: t.topic, options: topics.map((x) => ({ value: x.id, label: x.title })), width: 180 },
    { kind: 'dates', from: 'from', to: 'to', label: t.dates },
  ];

  const write = can('study:write');
  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={t.subTitle}
      filters={filterDefs}
      notice={
        can('stats:read') ? (
          <StudyFigures
            // The figures are the default campaign's: under another campaign they would mislead.
            stale={Boolean(filters.campaignId && defaultId !== undefined && filters.campaignId !== defaultId)}
            campaignName={campaigns.find((c) => c.id === (defaultId ?? campaignId))?.name}
            onMode={(mode) => list.setFilters({ mode })}
          />
        ) : null
      }
      actions={
        write && campaignId ? (
          <>
            <Button icon={<CalendarOutlined />} onClick={() => setForm('series')}>
              {t.series}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm('activity')}>
              {t.add}
            </Button>
          </>
        ) : null
      }
      table={{
        minWidth: 960,
        onRow: (r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' } }),
        rowClassName: (r) => (r.id === openId ? 'ant-table-row-selected' : ''),
      }}
    >
      <OnDemand open={form === 'activity'}>
        {campaignId ? (
          <ActivityFormDrawer
            open={form === 'activity'}
            target={{ kind: 'create', campaignId }}
            campaigns={campaigns}
            onClose={() => setForm(null)}
            onSaved={(id) => {
              setForm(null);
              void invalidate(ACTIVITIES_KEY, STATS_KEY);
              open(id);
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={form === 'series'}>
        {campaignId ? (
          <SeriesFormDrawer
            open={form === 'series'}
            campaignId={campaignId}
            onClose={() => setForm(null)}
            onSaved={(id) => {
              setForm(null);
              void invalidate(ACTIVITIES_KEY, STATS_KEY);
              setUrl({ series: id }, true);
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={openId !== null}>
        <ActivityDrawer id={openId} onClose={() => setUrl({ id: null })} onOpenSeries={(id) => setUrl({ id: null, series: id }, true)} />
      </OnDemand>
      <OnDemand open={seriesId !== null}>
        <SeriesDrawer id={seriesId} onClose={() => setUrl({ series: null })} onOpenActivity={(id) => setUrl({ series: null, id }, true)} />
      </OnDemand>
    </ListPage>
  );
}

/** The nine modes' activity counts (each filters the list), the activities, attendances and hours in all. */
function StudyFigures({ stale, campaignName, onMode }: { stale: boolean; campaignName?: string; onMode: (mode: StudyMode) => void }) {
  const { label, ready } = useStatLabels();
  const stats = useQuery({ queryKey: [STATS_KEY], queryFn: () => api.get<StudyStats>(STATS_KEY), staleTime: 60_000 });
  const s = stats.data?.study;
  if (!ready) return null;
  const value = (v: number | undefined) => (v === undefined ? '—' : v);
  return (
    <section className="study-figures" aria-label={t.figures}>
      <h2 className="study-figures-title">{campaignName ? t.figuresOf(campaignName) : t.figures}</h2>
      {stale ? (
        <p className="text-secondary" style={{ margin: '0 0 8px' }}>
          {t.figuresOther}
        </p>
      ) : null}
      <div className="study-figures-totals">
        {(['activities', 'attendances', 'hoursTotal'] as const).map((k) => (
          <Figure key={k} title={label(`study.${k}`)} value={value(s?.[k])} />
        ))}
      </div>
      <div className="study-modes">
        {STUDY_MODE_CODES.map((m) => (
          <Figure key={m} title={label(`study.activitiesByMode.${m}`)} value={value(s?.activitiesByMode[m])} onClick={() => onMode(m)} />
        ))}
      </div>
    </section>
  );
}
