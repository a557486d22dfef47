// 专题成绩 of one topic (专题与题库, view 专题成绩): every serving person in the viewer's scope, in the
// people list's order, with their online and offline results as percentages, the weighted topic score
// and 合格 / 不合格; the formula above the table, a unit filter, paging. Loaded when the view is chosen.
import { Tag } from 'antd';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar } from '../../components/FilterBar.js';
import { Pager } from '../../components/Pager.js';
import { useList } from '../../components/useList.js';
import { exams as xt } from '../../i18n/index.js';
import { TOPICS_KEY, type Topic, type TopicResultRow, type TopicResultsPage } from './shared.js';

const t = xt.topics;

const part = (v: number | null) => (v === null ? <span className="text-secondary">{t.notTaken}</span> : v);

export default function TopicResults({ topic }: { topic: Topic }) {
  const list = useList<TopicResultRow, TopicResultsPage>(`${TOPICS_KEY}/${topic.id}/results`);
  // The weights the server computed with (the topic may have been edited since the topic list loaded).
  const w = list.data?.topic ?? topic;

  const columns: Columns<TopicResultRow> = [
    { title: t.name, dataIndex: 'name', width: 90 },
    { title: t.policeNo, dataIndex: 'policeNo', width: 90, render: (v: string | null) => v ?? xt.common.none },
    { title: t.unit, dataIndex: 'orgUnitName', ellipsis: true },
    { title: t.online, dataIndex: 'online', width: 110, align: 'right', render: part },
    { title: t.offline, dataIndex: 'offline', width: 110, align: 'right', render: part },
    { title: t.combined, dataIndex: 'combined', width: 90, align: 'right', render: (v: number) => <strong>{v}</strong> },
    {
      title: t.passed,
      dataIndex: 'passed',
      width: 84,
      render: (v: boolean) => <Tag color={v ? 'green' : 'red'}>{v ? xt.common.topicPassed : xt.common.topicFailed}</Tag>,
    },
  ];

  return (
    <>
      <p className="text-secondary" style={{ marginTop: 0 }} data-testid="topic-formula">
        {t.formula(w.onlineWeight, w.offlineWeight, w.passScore)}
      </p>
      <FilterBar
        defs={[{ kind: 'unit', name: 'orgUnitId', label: t.unit, width: 220 }]}
        filters={list.filters}
        onChange={list.setFilters}
        onReset={list.resetFilters}
      />
      <DataTable<TopicResultRow>
        size="small"
        caption={t.resultsTable}
        minWidth={720}
        rowKey="personId"
        {...list.tableProps}
        sort={undefined}
        onSort={undefined}
        columns={columns}
        emptyText={list.tableProps.emptyText ?? t.noPeople}
      />
      <Pager {...list.pager} />
    </>
  );
}
