// 学习档案: a year of one person's study — hours (by the nine modes), activities attended, shares,
// reviews, exam scores, topic results, commendations — and the study score it earns under the year's
// formula, with each part and whether it qualifies for 评先评优. The officer sees their own; staff with
// exams:read may choose a person in their scope (?view=person&personId=) and see each unit's totals
// (?view=units). 打印 gives a clean A4 page (no menu, no header); 导出 the same as an Excel workbook.
import { lazy, Suspense, type ReactNode } from 'react';
import { Button, Col, Empty, Row, Tag } from 'antd';
import { DownloadOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, download, qs } from '../../api.js';
import { useCan, useMe } from '../../auth/useMe.js';
import { DataTable } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatDate, formatTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Panel } from '../../components/Panel.js';
import { Figure } from '../../components/StatCards.js';
import { useDicts } from '../../components/useDicts.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { common, exams as xt } from '../../i18n/index.js';
import { ATTENDANCE_METHODS, SHARE_CATEGORIES, STUDY_MODES, type ShareCategory, type StudyMode } from '../../../../shared/schemas/study-labels.js';
import { ARCHIVES_KEY, MY_ARCHIVE_KEY, percent, score, SUMMARY_KEY, useShownYear, yearFilter, type Archive, type UnitSummary } from './shared.js';
import './exams.css';

const t = xt.archive;
const PersonPicker = lazy(() => import('./PersonPicker.js'));
const URL_KEYS = ['view', 'year', 'personId', 'orgUnitId'] as const;

export default function ArchivePage() {
  const me = useMe();
  const can = useCan();
  const staff = can('exams:read');
  const url = useUrlFilters(URL_KEYS);
  const { filters, set } = url;
  // No year chosen: the server's default (the study campaign's year), named once it has answered.
  const year = filters.year ? Number(filters.year) : undefined;
  const chosen = filters.view === 'person' || filters.view === 'units' ? filters.view : undefined;
  // Staff without a person of their own open on the people's archives.
  const view = staff ? (chosen ?? (me.user.personId ? 'mine' : 'person')) : 'mine';
  const personId = view === 'person' ? filters.personId : undefined;

  const mine = useQuery({
    queryKey: [MY_ARCHIVE_KEY, year],
    queryFn: () => api.get<Archive>(MY_ARCHIVE_KEY + qs({ year })),
    enabled: view === 'mine' && Boolean(me.user.personId),
  });
  const other = useQuery({
    queryKey: [ARCHIVES_KEY, personId, year],
    queryFn: () => api.get<Archive>(`${ARCHIVES_KEY}/${personId}${qs({ year })}`),
    enabled: Boolean(personId),
  });
  const summary = useQuery({
    queryKey: [SUMMARY_KEY, year, filters.orgUnitId],
    queryFn: () => api.get<UnitSummary>(SUMMARY_KEY + qs({ year, orgUnitId: filters.orgUnitId })),
    enabled: view === 'units',
  });
  const shown = view === 'mine' ? mine : view === 'person' ? other : summary;
  const { defaultYear } = useShownYear(filters.year, shown.data?.year);

  const defs: FilterDef[] = [
    ...(staff
      ? [{
          kind: 'tabs' as const,
          name: 'view',
          label: t.view,
          options: [
            ...(me.user.personId ? [{ value: '', label: t.mine }] : []),
            { value: 'person', label: t.person },
            { value: 'units', label: t.units },
          ],
        }]
      : []),
    yearFilter(defaultYear),
    ...(view === 'units' ? [{ kind: 'unit' as const, name: 'orgUnitId', label: xt.common.unit, width: 220 }] : []),
  ];
  const filterValues = { ...filters, view: view === 'mine' ? undefined : view };

  const archive = view === 'mine' ? mine.data : view === 'person' ? other.data : undefined;
  // The export is of the year shown (the server's default answered with it).
  const shownYear = archive?.year;
  const exportPath = view === 'mine' ? `${MY_ARCHIVE_KEY}/export${qs({ year: shownYear })}` : personId ? `${ARCHIVES_KEY}/${personId}/export${qs({ year: shownYear })}` : null;

  let body: ReactNode;
  if (view === 'mine' && !me.user.personId) body = <p className="notice warning">{t.noPerson}</p>;
  else if (view === 'person' && !personId) body = <Empty description={t.choosePerson} />;
  else if (shown.isError) body = <LoadFailed error={shown.error} onRetry={() => void shown.refetch()} />;
  else if (view === 'units') body = summary.data ? <Summary data={summary.data} /> : <p className="text-secondary">{common.loading}</p>;
  else if (!archive) body = <p className="text-secondary">{common.loading}</p>;
  else body = <ArchiveView a={archive} />;

  return (
    <div className="study-archive">
      <PageHeader
        subTitle={t.subTitle}
        extra={
          <>
            <Button icon={<ReloadOutlined />} aria-label={common.refresh} title={common.refresh} loading={shown.isFetching} onClick={() => void shown.refetch()} />
            {archive ? (
              <>
                <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
                  {t.print}
                </Button>
                {exportPath ? (
                  <Button icon={<DownloadOutlined />} onClick={() => download(exportPath)}>
                    {t.export}
                  </Button>
                ) : null}
              </>
            ) : null}
          </>
        }
      />
      <div className="no-print">
        <FilterBar
          defs={defs}
          filters={filterValues}
          onChange={(p) => set(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === undefined ? null : String(v)])))}
          onReset={() => set({ year: null, orgUnitId: null })}
        />
        {view === 'person' ? (
          <div className="archive-person">
            <Suspense fallback={null}>
              <PersonPicker
                value={personId ? { value: personId, label: other.data?.person.name ?? personId } : undefined}
                onChange={(p) => set({ personId: p?.value ?? null })}
              />
            </Suspense>
          </div>
        ) : null}
      </div>
      {body}
    </div>
  );
}

function ArchiveView({ a }: { a: Archive }) {
  const { label } = useDicts();
  const r = a.assessment.rule;
  const modes = Object.entries(STUDY_MODES) as [StudyMode, string][];
  return (
    <div className="stack" data-testid="archive">
      <h2 className="archive-print-title">{t.printTitle(a.year, a.person.name)}</h2>
      <section className="panel" aria-label={t.basics}>
        <dl className="archive-head exam-facts">
          <dt>{t.name}</dt>
          <dd>{a.person.name}</dd>
          <dt>{t.unit}</dt>
          <dd>{a.person.orgUnitName}</dd>
          <dt>{t.policeNo}</dt>
          <dd>{a.person.policeNo ?? xt.common.none}</dd>
          <dt>{t.post}</dt>
          <dd>{label('post', a.person.post) || xt.common.none}</dd>
          <dt>{xt.common.yearLabel}</dt>
          <dd>{xt.common.year(a.year)}</dd>
        </dl>
        <Row gutter={[12, 12]}>
          {(
            [
              [t.hours, a.hours],
              [t.attended, a.attendances.length],
              [t.shares, a.shares.length],
              [t.reviews, a.reviews.length],
              [t.exams, a.exams.length],
              [t.score, a.assessment.score],
            ] as const
          ).map(([title, value]) => (
            <Col key={title} xs={12} sm={8} lg={4}>
              <Figure title={title} value={value} />
            </Col>
          ))}
        </Row>
      </section>
      <Panel title={t.assessment} extra={<Tag color={a.assessment.eligible ? 'green' : 'default'}>{a.assessment.eligible ? t.eligible : t.notEligible}</Tag>}>
        <ul className="archive-formula" data-testid="archive-formula">
          <li>{t.hoursPart(r.hoursWeight, a.hours, r.hoursTarget, a.assessment.hoursPart)}</li>
          <li>{t.examsPart(r.examsWeight, a.assessment.examAverage, a.assessment.examsPart)}</li>
          <li>{t.participationPart(r.participationWeight, a.shares.length, a.reviews.length, r.participationTarget, a.assessment.participationPart)}</li>
          <li>
            <strong>{t.total(a.assessment.score)}</strong>
          </li>
          <li>{t.award(r.awardMinScore, r.requireTopicsPassed, a.assessment.topicsPassed)}</li>
        </ul>
      </Panel>
      <Panel title={t.byMode}>
        <DataTable
          size="small"
          caption={t.byMode}
          rowKey="mode"
          dataSource={modes.map(([mode, label]) => ({ mode, label, hours: a.hoursByMode[mode] ?? 0 }))}
          columns={[
            { title: t.mode, dataIndex: 'label' },
            { title: t.hours, dataIndex: 'hours', align: 'right', width: 100 },
          ]}
        />
      </Panel>
      <Panel title={t.activities}>
        <DataTable
          size="small"
          caption={t.activities}
          rowKey={(x) => `${x.activityId}`}
          dataSource={a.attendances}
          emptyText={t.none}
          columns={[
            { title: t.date, dataIndex: 'heldOn', width: 104, render: (v: string) => formatDate(v) },
            { title: t.activity, dataIndex: 'title' },
            { title: t.mode, dataIndex: 'modeLabel', width: 150 },
            { title: t.hours, dataIndex: 'hours', width: 64, align: 'right' },
            { title: t.method, dataIndex: 'method', width: 90, render: (v: 'qr' | 'list') => ATTENDANCE_METHODS[v] },
          ]}
        />
      </Panel>
      <Panel title={t.examScores}>
        <DataTable
          size="small"
          caption={t.examScores}
          rowKey="examId"
          dataSource={a.exams}
          emptyText={t.none}
          columns={[
            { title: t.exam, dataIndex: 'title' },
            { title: xt.common.topic, dataIndex: 'topicTitle', ellipsis: true },
            { title: t.kind, dataIndex: 'kindLabel', width: 120 },
            { title: t.examScore, dataIndex: 'score', width: 100, align: 'right', render: (v: number | null, e) => (v === null ? t.awaiting : `${v} / ${e.fullScore}`) },
            { title: t.passed, dataIndex: 'passed', width: 72, render: (v: boolean | null) => (v === null ? xt.common.none : v ? xt.common.passed : xt.common.failed) },
          ]}
        />
      </Panel>
      <Panel title={t.topics}>
        <DataTable
          size="small"
          caption={t.topics}
          rowKey="topicId"
          dataSource={a.topics}
          emptyText={t.none}
          columns={[
            { title: xt.common.topic, dataIndex: 'title' },
            { title: t.online, dataIndex: 'online', width: 90, align: 'right', render: (v: number | null) => score(v) },
            { title: t.offline, dataIndex: 'offline', width: 90, align: 'right', render: (v: number | null) => score(v) },
            { title: t.combined, dataIndex: 'combined', width: 90, align: 'right' },
            { title: t.topicPassed, dataIndex: 'passed', width: 72, render: (v: boolean) => (v ? xt.common.topicPassed : xt.common.topicFailed) },
          ]}
        />
      </Panel>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Panel title={t.sharesTitle}>
            <DataTable
              size="small"
              caption={t.sharesTitle}
              dataSource={a.shares}
              emptyText={t.none}
              columns={[
                { title: t.date, dataIndex: 'publishedOn', width: 104, render: (v: string) => formatDate(v) },
                { title: t.shareTitle, dataIndex: 'title' },
                { title: t.category, dataIndex: 'category', width: 100, render: (v: string) => SHARE_CATEGORIES[v as ShareCategory] ?? v },
              ]}
            />
          </Panel>
        </Col>
        <Col xs={24} xl={12}>
          <Panel title={t.reviewsTitle}>
            <DataTable
              size="small"
              caption={t.reviewsTitle}
              dataSource={a.reviews}
              emptyText={t.none}
              columns={[
                { title: t.date, dataIndex: 'submittedAt', width: 104, render: (v: string) => formatDate(v) },
                { title: t.activity, dataIndex: 'activityTitle', width: 160, ellipsis: true },
                { title: t.excerpt, dataIndex: 'excerpt', ellipsis: true },
              ]}
            />
          </Panel>
        </Col>
      </Row>
      <Panel title={t.commendations}>
        <DataTable
          size="small"
          caption={t.commendations}
          dataSource={a.commendations}
          emptyText={t.none}
          columns={[
            { title: t.date, dataIndex: 'conferredOn', width: 104, render: (v: string) => formatDate(v) },
            { title: t.honour, dataIndex: 'title' },
            { title: t.conferredBy, dataIndex: 'conferredBy', width: 180 },
          ]}
        />
      </Panel>
      <p className="text-secondary" style={{ margin: 0 }}>
        {t.printedAt(formatTime(new Date().toISOString()))}
        {a.wrongAnswers ? ` ${t.wrongAnswers(a.wrongAnswers)}` : ''}
      </p>
    </div>
  );
}

function Summary({ data }: { data: UnitSummary }) {
  return (
    <div className="stack">
      <section className="panel" aria-label={t.unitsTotal}>
        <Row gutter={[12, 12]}>
          {(
            [
              [t.people, data.people],
              [t.hours, data.hours],
              [t.peopleAttended, data.peopleAttended],
              [t.attendances, data.attendances],
              [t.examsGraded, data.examsGraded],
              [t.passRate, percent(data.passRate)],
            ] as const
          ).map(([title, value]) => (
            <Col key={title} xs={12} sm={8} lg={4}>
              <Figure title={title} value={value} />
            </Col>
          ))}
        </Row>
      </section>
      <Panel title={t.byUnit}>
        <DataTable
          size="small"
          caption={t.byUnit}
          rowKey="unitId"
          minWidth={760}
          dataSource={data.units}
          columns={[
            { title: xt.common.unit, dataIndex: 'unitName' },
            { title: t.people, dataIndex: 'people', align: 'right', sorter: (x, y) => x.people - y.people },
            { title: t.hours, dataIndex: 'hours', align: 'right', sorter: (x, y) => x.hours - y.hours },
            { title: t.hoursPerPerson, dataIndex: 'hoursPerPerson', align: 'right', sorter: (x, y) => x.hoursPerPerson - y.hoursPerPerson },
            { title: t.peopleAttended, dataIndex: 'peopleAttended', align: 'right' },
            { title: t.examsGraded, dataIndex: 'examsGraded', align: 'right' },
            { title: t.examsPassed, dataIndex: 'examsPassed', align: 'right' },
            { title: t.passRate, dataIndex: 'passRate', align: 'right', render: (v: number | null) => percent(v), sorter: (x, y) => (x.passRate ?? -1) - (y.passRate ?? -1) },
          ]}
        />
      </Panel>
    </div>
  );
}
