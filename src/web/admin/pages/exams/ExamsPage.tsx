// 考试管理: the exams, newest first, each with its figures in the viewer's scope (应考, 参考, 交卷, 已评分,
// 及格, 平均分). ?id=<exam> opens one: its results, the attempts to read and mark, offline scores to
// enter or import. 发布考试 (exams:write) opens the form. The topic filter and the open exam live in
// the URL; the drawers load when first opened.
import { lazy, useState } from 'react';
import { Button } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import type { FilterDef } from '../../components/FilterBar.js';
import { formatTime } from '../../components/format.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { RowLink } from '../../components/RowLink.js';
import { useList } from '../../components/useList.js';
import { useShownCampaign } from '../../components/useShownCampaign.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { exams as xt } from '../../i18n/index.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import { EXAMS_KEY, score, useTopics, type ExamRow } from './shared.js';

const l = xt.list;
const ExamDetailDrawer = lazy(() => import('./ExamDetail.js'));
const ExamFormDrawer = lazy(() => import('./ExamForm.js'));

const FILTER_KEYS = ['campaignId', 'topicId'] as const;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

export default function ExamsPage() {
  const can = useCan();
  const [creating, setCreating] = useState(false);
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;
  const openId = url.params.get('id');

  const topics = useTopics(filters.campaignId);
  const { defaultId } = useShownCampaign(filters.campaignId, topics.isPlaceholderData ? undefined : topics.data?.campaignId);
  const { data: campaigns = [] } = useCampaigns();
  const topicList = topics.data?.items ?? [];

  // The server filters by topic (a campaign only chooses which topics the filter offers; the server
  // ignores it). Another campaign, no topic of the last one.
  const list = useList<ExamRow>(EXAMS_KEY, {
    filters,
    onFiltersChange: (next) => url.onFiltersChange(next.campaignId === filters.campaignId ? next : { ...next, topicId: undefined }),
  });
  const open = (id: string) => setUrl({ id }, true);

  const columns: Columns<ExamRow> = [
    {
      title: l.title,
      dataIndex: 'title',
      render: (v: string, r) => (
        <div style={{ minWidth: 160 }}>
          <RowLink onOpen={() => open(r.id)}>{v}</RowLink>
          <div className="text-secondary" style={{ fontSize: 12 }}>
            {r.topicTitle}
          </div>
        </div>
      ),
    },
    { title: l.kind, dataIndex: 'kindLabel', width: 120, render: (v: string) => <span style={NOWRAP}>{v}</span> },
    {
      title: l.time,
      dataIndex: 'opensAt',
      width: 170,
      render: (_: string, r) => (
        <span style={{ fontSize: 13 }}>
          {formatTime(r.opensAt)}
          <br />
          {l.till} {formatTime(r.closesAt)}
        </span>
      ),
    },
    { title: l.fullPass, key: 'fullPass', width: 90, align: 'right', render: (_: unknown, r) => `${r.fullScore} / ${r.passScore}` },
    { title: l.expected, dataIndex: 'expectedCount', width: 70, align: 'right' },
    { title: l.attempts, dataIndex: 'attempts', width: 70, align: 'right' },
    {
      title: l.graded,
      dataIndex: 'graded',
      width: 90,
      align: 'right',
      render: (v: number, r) => (
        <span>
          {v}
          {r.awaitingMarks ? <div className="text-danger" style={{ fontSize: 12 }}>{l.awaiting(r.awaitingMarks)}</div> : null}
        </span>
      ),
    },
    { title: l.passed, dataIndex: 'passed', width: 70, align: 'right' },
    { title: l.average, dataIndex: 'average', width: 80, align: 'right', render: (v: number | null) => score(v) },
  ];

  const defs: FilterDef[] = [
    campaignFilter(campaigns, defaultId),
    { kind: 'select', name: 'topicId', label: l.topic, width: 260, options: topicList.map((x) => ({ value: x.id, label: x.title })) },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={l.subTitle}
      filters={defs}
      actions={
        can('exams:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} disabled={!topicList.length} title={topicList.length ? undefined : l.noTopics}>
            {l.add}
          </Button>
        ) : null
      }
      table={{
        minWidth: 980,
        onRow: (r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' } }),
        emptyText: topics.isSuccess && !topicList.length ? l.noTopics : undefined,
      }}
    >
      <OnDemand open={creating}>
        <ExamFormDrawer
          open={creating}
          topics={topicList}
          topicId={filters.topicId}
          onClose={() => setCreating(false)}
          onSaved={(id) => {
            setCreating(false);
            void list.reload();
            open(id);
          }}
        />
      </OnDemand>
      <OnDemand open={openId !== null}>
        <ExamDetailDrawer id={openId} onClose={() => setUrl({ id: null })} onChanged={() => void list.reload()} />
      </OnDemand>
    </ListPage>
  );
}
