// 智能化数据排查: three tabs. 命中审核 (the default) lists what the rules found — 待审核 first — and opens
// one hit with its reasoning and the register rows it rests on, to be turned into a clue, dismissed with a
// reason or marked as already known. 排查规则 lists the rules with their versions, switches and parameters.
// 数据导入 takes the registers (each import a dated snapshot) and lists past imports and runs. 运行排查
// runs every enabled rule over the current snapshots and shows what changed. Tab, filters and the open
// hit (?id=) live in the URL; the other tabs, the drawer and the forms load when first opened.
import { lazy, Suspense, useState } from 'react';
import { Button, Tag } from 'antd';
import { PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { useFeedback } from '../../components/feedback.js';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatTime } from '../../components/format.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { PageTabs } from '../../components/PageTabs.js';
import { Pager } from '../../components/Pager.js';
import { RowLink } from '../../components/RowLink.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, screening as st } from '../../i18n/index.js';
import { HIT_STATUS } from '../../../../shared/schemas/screening-labels.js';
import { HIT_STATUS_COLOR, HITS_KEY, RUNS_KEY, SCREENING_KEY, useRules, type HitRow, type RunResult } from './shared.js';

const t = st.page;
const h = st.hits;
const RulesTab = lazy(() => import('./RulesTab.js'));
const DataTab = lazy(() => import('./DataTab.js'));
const HitDrawer = lazy(() => import('./HitDrawer.js'));
const RunResultModal = lazy(() => import('./ScreeningForms.js').then((m) => ({ default: m.RunResultModal })));

const URL_KEYS = ['tab', 'status', 'rule', 'present', 'kind'] as const;
const TABS = ['hits', 'rules', 'data'] as const;
type Tab = (typeof TABS)[number];
type UrlPatch = Record<string, string | null | undefined>;

// 待审核 is the queue's default (no parameter); 全部 is asked for by name, since the empty choice is taken.
const statusTabs = [
  { value: '', label: HIT_STATUS.open },
  { value: 'confirmed', label: HIT_STATUS.confirmed },
  { value: 'dismissed', label: HIT_STATUS.dismissed },
  { value: 'known', label: HIT_STATUS.known },
  { value: 'all', label: h.all },
];
const presentOptions = [
  { value: '1', label: h.presentYes },
  { value: '0', label: h.presentNo },
];
const NOWRAP = { whiteSpace: 'nowrap' } as const;

function HitsTab({ filters, set, openId }: { filters: Partial<Record<(typeof URL_KEYS)[number], string>>; set: (p: UrlPatch, push?: boolean) => void; openId: string | null }) {
  const can = useCan();
  const rules = useRules();
  const status = filters.status === 'all' ? undefined : (filters.status ?? 'open');
  const list = useList<HitRow>(HITS_KEY, { filters: { status, rule: filters.rule, present: filters.present } });
  const open = (id: string) => set({ id }, true);
  const clueLinks = can('clues:read');

  const columns: Columns<HitRow> = [
    { title: h.ruleCol, dataIndex: 'ruleName', width: 190, render: (v: string) => <div className="clamp-2" title={v}>{v}</div> },
    {
      title: h.subject,
      dataIndex: 'subject',
      width: 200,
      // The subject names the unit already ("丁俊峰（碧流台司法所）").
      render: (v: string, r) => (
        <RowLink label={h.open(v)} onOpen={() => open(r.id)}>
          {v}
        </RowLink>
      ),
    },
    { title: h.summary, dataIndex: 'summary', render: (v: string) => <div className="clamp-2" style={{ minWidth: 200 }} title={v}>{v}</div> },
    {
      title: h.statusCol,
      dataIndex: 'status',
      width: 150,
      render: (_: string, r) => (
        <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
          <Tag color={HIT_STATUS_COLOR[r.status]}>{r.statusLabel}</Tag>
          {r.present ? null : (
            <Tag title={h.goneHelp}>{h.gone}</Tag>
          )}
          {r.clueNo && r.clueId ? (
            clueLinks ? (
              <Link to={`/clues?id=${encodeURIComponent(r.clueId)}`} aria-label={h.openClue(r.clueNo)} onClick={(e) => e.stopPropagation()} style={NOWRAP}>
                {r.clueNo}
              </Link>
            ) : (
              <span style={NOWRAP}>{r.clueNo}</span>
            )
          ) : null}
        </span>
      ),
    },
    { title: h.firstSeen, dataIndex: 'firstSeenAt', width: 140, responsive: ['xl'], render: (v: string) => <span style={NOWRAP}>{formatTime(v)}</span> },
    { title: h.lastSeen, dataIndex: 'lastSeenAt', width: 140, render: (v: string) => <span style={NOWRAP}>{formatTime(v)}</span> },
  ];

  const defs: FilterDef[] = [
    { kind: 'tabs', name: 'status', label: h.status, options: statusTabs },
    { kind: 'select', name: 'rule', label: h.rule, width: 260, options: (rules.data ?? []).map((r) => ({ value: r.code, label: r.name })) },
    { kind: 'select', name: 'present', label: h.present, width: 150, options: presentOptions },
  ];
  // Only the parameters set: a key present at all counts as a filter to clear.
  const shown = Object.fromEntries(Object.entries({ status: filters.status, rule: filters.rule, present: filters.present }).filter(([, v]) => v));
  const patch = (p: Record<string, string | number | undefined>) => set(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === undefined ? null : String(v)])));

  return (
    <div className="stack">
      <p className="notice warning" role="note" style={{ margin: 0 }}>
        {st.common.restricted}
      </p>
      <div>
        <FilterBar defs={defs} filters={shown} onChange={patch} onReset={() => set({ rule: null, present: null })} />
        <DataTable<HitRow>
          caption={h.table}
          minWidth={960}
          {...list.tableProps}
          sort={undefined}
          onSort={undefined}
          columns={columns}
          onRow={(r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' } })}
          rowClassName={(r) => (r.id === openId ? 'ant-table-row-selected' : '')}
        />
        <Pager {...list.pager} />
      </div>
    </div>
  );
}

export default function ScreeningPage() {
  const can = useCan();
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const url = useUrlFilters(URL_KEYS);
  const { filters, set } = url;
  const openId = url.params.get('id');
  const tab: Tab = (TABS as readonly string[]).includes(filters.tab ?? '') ? (filters.tab as Tab) : 'hits';
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RunResult | null>(null);

  const run = async () => {
    setRunning(true);
    try {
      const r = await api.post<RunResult>(RUNS_KEY, {});
      const sum = (k: 'hits' | 'new') => r.rules.reduce((n, x) => n + x[k], 0);
      message.success(st.run.done(sum('hits'), sum('new')));
      setResult(r);
      void invalidate(SCREENING_KEY);
    } catch (err) {
      showError(err);
    } finally {
      setRunning(false);
    }
  };

  const loading = <p className="text-secondary">{common.loading}</p>;
  const items = [
    { key: 'hits', label: t.hitsTab, children: <HitsTab filters={filters} set={set} openId={openId} /> },
    { key: 'rules', label: t.rulesTab, children: <Suspense fallback={loading}><RulesTab /></Suspense> },
    { key: 'data', label: t.dataTab, children: <Suspense fallback={loading}><DataTab kind={filters.kind} setKind={(kind) => set({ kind })} /></Suspense> },
  ];

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <>
            <Button icon={<ReloadOutlined />} aria-label={common.refresh} title={common.refresh} onClick={() => void invalidate(SCREENING_KEY)} />
            {can('screening:run') ? (
              <Button type="primary" icon={<PlayCircleOutlined />} loading={running} onClick={() => void run()}>
                {running ? t.running : t.run}
              </Button>
            ) : null}
          </>
        }
      />
      <section className="panel">
        <PageTabs
          tabs={items}
          active={tab}
          // Each tab keeps only its own parameters: a rule filter means nothing on the data tab.
          onChange={(k) => k !== tab && set({ tab: k === 'hits' ? null : k, status: null, rule: null, present: null, kind: null, id: null })}
          label={st.common.tabs}
        />
      </section>
      <OnDemand open={openId !== null}>
        <HitDrawer id={openId} onClose={() => set({ id: null })} />
      </OnDemand>
      <OnDemand open={result !== null}>
        <RunResultModal result={result} onClose={() => setResult(null)} />
      </OnDemand>
    </>
  );
}
