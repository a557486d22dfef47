// 年度考评: every serving officer in the viewer's scope with the year's study score — hours, activities,
// shares, reviews, the topics' average — its three parts, the score and 评先评优 eligibility, under the
// year's formula (shown above the list). With study:assess the formula is edited here and the list
// exported. Year and unit live in the URL; a name opens that person's archive.
import { lazy, useState } from 'react';
import { Link } from 'react-router';
import { Button, Tag } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import type { FilterDef } from '../../components/FilterBar.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { exams as xt } from '../../i18n/index.js';
import { ASSESSMENT_KEY, score, useShownYear, yearFilter, type AssessmentPage as Page, type AssessmentRow, type AssessmentRule } from './shared.js';
import './exams.css';

const t = xt.assessment;
const RuleDrawer = lazy(() => import('./RuleForm.js'));
const FILTER_KEYS = ['year', 'orgUnitId'] as const;

export default function AssessmentPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const url = useUrlFilters(FILTER_KEYS);
  const [editing, setEditing] = useState(false);
  const list = useList<AssessmentRow, Page>(ASSESSMENT_KEY, { filters: url.filters, onFiltersChange: url.onFiltersChange });
  const data = list.query.isPlaceholderData ? undefined : list.data;
  const { year, defaultYear } = useShownYear(url.filters.year, data?.year);
  const archiveLink = (r: AssessmentRow) => `/study/archive?view=person&personId=${encodeURIComponent(r.personId)}${year ? `&year=${year}` : ''}`;

  const columns: Columns<AssessmentRow> = [
    {
      title: t.name,
      dataIndex: 'name',
      width: 90,
      fixed: 'left',
      render: (v: string, r) => (
        <Link to={archiveLink(r)} title={t.openArchive(v)}>
          {v}
        </Link>
      ),
    },
    { title: t.unit, dataIndex: 'orgUnitName', width: 150, ellipsis: true },
    { title: t.hours, dataIndex: 'hours', width: 64, align: 'right' },
    { title: t.attended, dataIndex: 'attended', width: 64, align: 'right' },
    { title: t.shares, dataIndex: 'shares', width: 56, align: 'right' },
    { title: t.reviews, dataIndex: 'reviews', width: 56, align: 'right' },
    { title: t.examAverage, dataIndex: 'examAverage', width: 84, align: 'right', render: (v: number) => score(v) },
    { title: t.hoursPart, dataIndex: 'hoursPart', width: 76, align: 'right', responsive: ['lg'] },
    { title: t.examsPart, dataIndex: 'examsPart', width: 76, align: 'right', responsive: ['lg'] },
    { title: t.participationPart, dataIndex: 'participationPart', width: 84, align: 'right', responsive: ['lg'] },
    { title: t.score, dataIndex: 'score', width: 76, align: 'right', render: (v: number) => <strong>{v}</strong> },
    {
      title: t.eligible,
      dataIndex: 'eligible',
      width: 84,
      render: (v: boolean, r) => (
        <span>
          <Tag color={v ? 'green' : 'default'}>{v ? xt.common.eligible : xt.common.notEligible}</Tag>
          {!r.topicsPassed ? <span className="sr-only">{t.topicsNotPassed}</span> : null}
        </span>
      ),
    },
  ];

  const defs: FilterDef[] = [
    yearFilter(defaultYear),
    { kind: 'unit', name: 'orgUnitId', label: t.unit, width: 220 },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={t.subTitle}
      filters={defs}
      exportPath={can('study:assess') ? `${ASSESSMENT_KEY}/export` : undefined}
      notice={data ? <RuleText rule={data.rule} custom={data.customRule} year={data.year} onEdit={can('study:assess') ? () => setEditing(true) : undefined} /> : null}
      table={{
        minWidth: 1000,
        rowKey: 'personId',
        expandable: {
          label: t.expand,
          expandedRowRender: (r) =>
            r.topics.length ? (
              <ul className="plain-list">
                {r.topics.map((x) => (
                  <li key={x.topicId}>
                    {t.topicLine(x.title, score(x.online), score(x.offline), x.combined)}
                    <Tag color={x.passed ? 'green' : 'red'} style={{ marginLeft: 8 }}>
                      {x.passed ? xt.common.topicPassed : xt.common.topicFailed}
                    </Tag>
                  </li>
                ))}
              </ul>
            ) : (
              <span className="text-secondary">{t.noTopics}</span>
            ),
        },
      }}
    >
      <OnDemand open={editing}>
        {data ? (
          <RuleDrawer
            open={editing}
            year={data.year}
            rule={data.rule}
            onClose={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              void invalidate(ASSESSMENT_KEY);
            }}
          />
        ) : null}
      </OnDemand>
    </ListPage>
  );
}

/** The year's formula in words, as the list applies it. */
function RuleText({ rule: r, custom, year, onEdit }: { rule: AssessmentRule; custom: boolean; year: number; onEdit?: () => void }) {
  return (
    <div className="notice info assessment-rule" data-testid="assessment-rule">
      <div className="assessment-rule-head">
        <strong>{t.ruleTitle(year)}</strong>
        <span className="text-secondary">{custom ? t.customRule : t.defaultRule}</span>
        {onEdit ? (
          <Button size="small" icon={<EditOutlined />} onClick={onEdit}>
            {t.editRule}
          </Button>
        ) : null}
      </div>
      <ul className="archive-formula">
        <li>{t.ruleHours(r.hoursWeight, r.hoursTarget)}</li>
        <li>{t.ruleExams(r.examsWeight)}</li>
        <li>{t.ruleParticipation(r.participationWeight, r.participationTarget)}</li>
        <li>{t.ruleAward(r.awardMinScore, r.requireTopicsPassed)}</li>
      </ul>
    </div>
  );
}
