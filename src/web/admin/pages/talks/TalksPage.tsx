// 谈心谈话: one round of a campaign at a time (the latest unless another is chosen) — how many serving
// officers in the viewer's scope should have talked (应谈), have (已谈: as talker or talkee) and have not,
// per unit, the names still missing, and the round's talks. Campaign, round and unit live in the URL.
// A talk's names open that person's talks in the round (干警 filter, also in the URL). The forms (记录谈话,
// 更正, 新增轮次) and the person picker load when first opened.
import { lazy, Suspense, useState } from 'react';
import { Button, Col, Empty, Row, Tag } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, qs, type Page } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatDate } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Panel } from '../../components/Panel.js';
import { Pager } from '../../components/Pager.js';
import { Figure } from '../../components/StatCards.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useShownCampaign } from '../../components/useShownCampaign.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, talks as tt } from '../../i18n/index.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import { COVERAGE_KEY, MISSING_KEY, ROUNDS_KEY, TALKS_KEY, useRounds, type Coverage, type MissingRow, type TalkRow, type UnitCoverage } from './shared.js';

const t = tt.page;
const forms = () => import('./TalkForms.js');
const TalkDrawer = lazy(() => forms().then((m) => ({ default: m.TalkDrawer })));
const RoundModal = lazy(() => forms().then((m) => ({ default: m.RoundModal })));
const PersonSelect = lazy(() => import('../../components/PersonSelect.js').then((m) => ({ default: m.PersonSelect })));

const FILTER_KEYS = ['campaignId', 'roundId', 'orgUnitId', 'personId'] as const;
const rateOf = (u: { total: number; covered: number }) => (u.total ? u.covered / u.total : null);

export default function TalksPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const [form, setForm] = useState<'talk' | 'round' | null>(null);
  const [editing, setEditing] = useState<TalkRow | null>(null);
  const [picking, setPicking] = useState(false);
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;

  const rounds = useRounds(filters.campaignId);
  const { campaignId, defaultId } = useShownCampaign(filters.campaignId, rounds.isPlaceholderData ? undefined : rounds.data?.campaignId);
  const { data: campaigns = [] } = useCampaigns();
  const roundList = rounds.data?.items ?? [];
  const latest = roundList.at(-1);
  const round = roundList.find((r) => r.id === filters.roundId) ?? latest;
  const roundId = round?.id;

  // Every part asks for the same round explicitly: none of them guesses the default on its own.
  const where = { roundId, orgUnitId: filters.orgUnitId };
  const coverage = useQuery({
    queryKey: [COVERAGE_KEY, where],
    queryFn: () => api.get<Coverage>(COVERAGE_KEY + qs(where)),
    enabled: Boolean(roundId),
  });
  const missing = useList<MissingRow>(MISSING_KEY, { filters: where, pageSize: 10, enabled: Boolean(roundId) });
  const personId = filters.personId;
  const talkList = useList<TalkRow, Page<TalkRow> & { person?: { id: string; name: string } | null }>(TALKS_KEY, {
    filters: { ...where, personId },
    enabled: Boolean(roundId),
  });
  const person = personId ? (talkList.query.data?.person ?? null) : null;
  const personName = person && person.id === personId ? person.name : undefined;
  const cov = coverage.data;

  const setFilters = (patch: Record<string, string | number | undefined>) => {
    // Rounds belong to a campaign: another campaign starts on its latest round.
    const next = 'campaignId' in patch ? { ...patch, roundId: undefined } : patch;
    setUrl(Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v === undefined ? null : String(v)])));
  };
  const refresh = () => invalidate(ROUNDS_KEY, COVERAGE_KEY, MISSING_KEY, TALKS_KEY);

  const defs: FilterDef[] = [
    campaignFilter(campaigns, defaultId),
    {
      kind: 'select',
      name: 'roundId',
      label: t.round,
      width: 240,
      // Until the rounds arrive say so, rather than claim the campaign has none.
      emptyLabel: latest ? t.latestRound(latest.round, latest.name) : rounds.isSuccess ? t.noRound : common.loading,
      options: roundList.filter((r) => r !== latest).map((r) => ({ value: r.id, label: t.roundText(r.round, r.name) })),
    },
    { kind: 'unit', name: 'orgUnitId', label: t.unit, width: 220 },
  ];

  const unitColumns: Columns<UnitCoverage> = [
    {
      title: t.unit,
      dataIndex: 'unitName',
      render: (name: string, r) =>
        r.unitId === filters.orgUnitId ? (
          name
        ) : (
          <button type="button" className="link-button" title={t.openUnit(name)} onClick={() => setFilters({ orgUnitId: r.unitId })}>
            {name}
          </button>
        ),
    },
    { title: t.total, dataIndex: 'total', align: 'right', sorter: (a, b) => a.total - b.total },
    { title: t.covered, dataIndex: 'covered', align: 'right', sorter: (a, b) => a.covered - b.covered },
    {
      title: t.missing,
      dataIndex: 'missing',
      align: 'right',
      sorter: (a, b) => a.missing - b.missing,
      render: (n: number) => (n ? <span className="text-danger">{n}</span> : n),
    },
    { title: t.rate, key: 'rate', align: 'right', sorter: (a, b) => (rateOf(a) ?? 0) - (rateOf(b) ?? 0), render: (_: unknown, r) => t.percent(rateOf(r)) },
  ];

  const missingColumns: Columns<MissingRow> = [
    { title: t.name, dataIndex: 'name' },
    { title: t.policeNo, dataIndex: 'policeNo', render: (v: string | null) => v ?? tt.common.none },
    { title: t.orgUnit, dataIndex: 'orgUnitName' },
  ];

  /** A name that opens the person's talks in the round (plain text when they are the one shown). */
  const personLink = (id: string, name: string) =>
    id === personId ? (
      <strong key={id}>{name}</strong>
    ) : (
      <button key={id} type="button" className="link-button" title={t.onlyPerson(name)} onClick={() => setFilters({ personId: id })}>
        {name}
      </button>
    );
  const talkColumns: Columns<TalkRow> = [
    { title: t.heldOn, dataIndex: 'heldOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.talker, dataIndex: 'talkerName', width: 90, render: (name: string, r) => personLink(r.talkerPersonId, name) },
    {
      title: t.talkees,
      dataIndex: 'talkees',
      render: (v: TalkRow['talkees'], r) => {
        const shown = v.slice(0, 5).flatMap((p, i) => [...(i ? ['、'] : []), personLink(p.id, p.name)]);
        return r.talkeeCount > 5 ? (
          <>
            {shown} {t.talkeesMore('', r.talkeeCount)}
          </>
        ) : (
          shown
        );
      },
    },
    { title: t.orgUnit, dataIndex: 'orgUnitName', width: 140, ellipsis: true },
    { title: t.reason, dataIndex: 'reasonLabel', width: 150, render: (v: string | null) => v ?? <span className="text-secondary">{t.routine}</span> },
    {
      title: t.topics,
      dataIndex: 'topicLabels',
      render: (v: string[]) => (
        <div style={{ minWidth: 160 }}>
          {v.map((x) => (
            <Tag key={x}>{x}</Tag>
          ))}
        </div>
      ),
    },
    { title: t.summary, dataIndex: 'summary', width: 240, ellipsis: true, responsive: ['xl'] },
    ...(can('talks:write')
      ? ([
          {
            title: t.actions,
            key: 'actions',
            width: 64,
            render: (_: unknown, r: TalkRow) => (
              <button type="button" className="link-action" aria-label={t.editOf(formatDate(r.heldOn), r.talkerName)} onClick={() => setEditing(r)}>
                {t.edit}
              </button>
            ),
          },
        ] as Columns<TalkRow>)
      : []),
  ];

  const noRounds = rounds.isSuccess && !roundList.length;
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
              loading={(coverage.isFetching && !coverage.isLoading) || talkList.query.isFetching}
              onClick={() => void refresh()}
            />
            {can('campaign:write') && campaignId ? (
              <Button icon={<PlusOutlined />} onClick={() => setForm('round')}>
                {t.addRound}
              </Button>
            ) : null}
            {can('talks:write') && roundList.length ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm('talk')}>
                {t.addTalk}
              </Button>
            ) : null}
          </>
        }
      />
      <div className="stack">
        <section className="panel stack" aria-label={t.coverage}>
          <FilterBar defs={defs} filters={filters} onChange={setFilters} onReset={() => setFilters({ orgUnitId: undefined, roundId: undefined, campaignId: undefined, personId: undefined })} />
          {rounds.isError ? <LoadFailed error={rounds.error} onRetry={() => void rounds.refetch()} /> : null}
          {coverage.isError ? <LoadFailed error={coverage.error} onRetry={() => void coverage.refetch()} /> : null}
          {noRounds ? (
            <Empty description={t.noRound} />
          ) : (
            <>
              {round?.startDate || round?.endDate ? (
                <p className="text-secondary" style={{ margin: 0 }}>
                  {t.roundDates(formatDate(round.startDate), formatDate(round.endDate))}
                </p>
              ) : null}
              <Row gutter={[16, 16]} data-testid="talk-coverage">
                {(
                  [
                    [t.total, cov?.total],
                    [t.covered, cov?.covered],
                    [t.missing, cov?.missing],
                    [t.rate, cov ? t.percent(rateOf(cov)) : undefined],
                  ] as const
                ).map(([title, value]) => (
                  <Col key={title} xs={12} lg={6}>
                    <Figure title={title} value={value ?? '—'} />
                  </Col>
                ))}
              </Row>
            </>
          )}
        </section>
        {noRounds ? null : (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={14}>
                <Panel title={t.byUnit}>
                  <DataTable<UnitCoverage>
                    size="small"
                    caption={t.byUnitTable}
                    rowKey="unitId"
                    loading={coverage.isFetching}
                    dataSource={cov?.units ?? []}
                    columns={unitColumns}
                  />
                </Panel>
              </Col>
              <Col xs={24} xl={10}>
                <Panel title={t.missingList}>
                  <DataTable<MissingRow>
                    size="small"
                    caption={t.missingTable}
                    rowKey="personId"
                    {...missing.tableProps}
                    emptyText={missing.tableProps.emptyText ?? t.allCovered}
                    columns={missingColumns}
                  />
                  {missing.total > missing.pageSize ? <Pager {...missing.pager} sizes={[10, 20, 50]} /> : null}
                </Panel>
              </Col>
            </Row>
            <Panel title={personId ? t.personTalks(personName ?? t.person) : t.talks}>
              <div className="filter-row" style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'center', marginBottom: 12 }}>
                {/* The picker (antd's select) loads when asked for, not with the page. */}
                {picking ? (
                  <Suspense fallback={<span className="text-secondary">{common.loading}</span>}>
                    <PersonSelect
                      ariaLabel={t.personFilter}
                      placeholder={t.personFilter}
                      autoFocus
                      allowClear
                      style={{ width: 260 }}
                      value={personId ? { value: personId, label: personName ?? '' } : null}
                      onChange={(v) => {
                        setFilters({ personId: v?.value });
                        if (v) setPicking(false);
                      }}
                    />
                  </Suspense>
                ) : (
                  <Button size="small" onClick={() => setPicking(true)}>
                    {t.personFilter}
                  </Button>
                )}
                {personId ? (
                  <Button size="small" onClick={() => setFilters({ personId: undefined })}>
                    {t.clearPerson}
                  </Button>
                ) : null}
              </div>
              <DataTable<TalkRow>
                caption={t.talksTable}
                minWidth={960}
                {...talkList.tableProps}
                sort={undefined}
                onSort={undefined}
                columns={talkColumns}
                expandable={{
                  label: t.expand,
                  expandedRowRender: (r) => (
                    <div style={{ whiteSpace: 'pre-wrap' }}>
                      <p style={{ marginTop: 0 }}>
                        <strong>{t.summary}：</strong>
                        {r.summary}
                      </p>
                      <p style={{ marginBottom: 0 }}>
                        <strong>{t.followUp}：</strong>
                        {r.followUp || tt.common.none}
                      </p>
                    </div>
                  ),
                }}
              />
              <Pager {...talkList.pager} />
            </Panel>
          </>
        )}
      </div>
      <OnDemand open={form === 'talk'}>
        <TalkDrawer
          open={form === 'talk'}
          rounds={roundList}
          roundId={roundId}
          onClose={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            void invalidate(COVERAGE_KEY, MISSING_KEY, TALKS_KEY);
          }}
        />
      </OnDemand>
      <OnDemand open={Boolean(editing)}>
        <TalkDrawer
          key={editing?.id}
          open={Boolean(editing)}
          rounds={roundList}
          roundId={editing?.roundId}
          talk={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void invalidate(COVERAGE_KEY, MISSING_KEY, TALKS_KEY);
          }}
        />
      </OnDemand>
      <OnDemand open={form === 'round'}>
        {campaignId ? (
          <RoundModal
            open={form === 'round'}
            campaignId={campaignId}
            next={(latest?.round ?? 0) + 1}
            onClose={() => setForm(null)}
            onSaved={(id) => {
              setForm(null);
              void invalidate(ROUNDS_KEY);
              setFilters({ roundId: id });
            }}
          />
        ) : null}
      </OnDemand>
    </>
  );
}
