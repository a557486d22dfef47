// 调查问卷: design a questionnaire (single / multiple choice, 1–5 rating, free text), publish it for
// anonymous answers through a public link, close it, and read the results as charts; export answers.
// The list loads alone; the builder and the results (with ECharts) when first opened.
import { lazy, useState } from 'react';
import { Button, Flex, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useFeedback } from '../../components/feedback.js';
import { api, download } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyText } from '../../components/CopyText.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useApiError } from '../../components/useApiError.js';
import { formatTime } from '../../components/format.js';
import { SURVEY_STATUS } from '../../../../shared/schemas/surveys.js';
import { common, opinions as ot } from '../../i18n/index.js';
import type { Status, SurveyRow } from './SurveyParts.js';

const v = ot.survey;
const KEY = '/api/surveys';
const STATUS_COLOR: Record<Status, string> = { draft: 'default', published: 'green', closed: 'red' };
const publicUrl = (id: string) => `${window.location.origin}/public/surveys/${id}`;
const parts = () => import('./SurveyParts.js');
const BuilderDrawer = lazy(() => parts().then((m) => ({ default: m.BuilderDrawer })));
const ResultsDrawer = lazy(() => parts().then((m) => ({ default: m.ResultsDrawer })));

export default function SurveysPage() {
  const can = useCan();
  const { message } = useFeedback();
  const showError = useApiError();
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<'new' | string | null>(null);
  const [results, setResults] = useState<SurveyRow | null>(null);
  const list = useList<SurveyRow>(KEY);
  const refresh = () => invalidate(KEY);
  const writable = can('surveys:write');

  const act = async (row: SurveyRow, verb: 'publish' | 'close') => {
    try {
      await api.post(`${KEY}/${row.id}/${verb}`);
      message.success(verb === 'publish' ? v.published : v.closed);
      await refresh();
    } catch (err) {
      showError(err);
    }
  };

  const columns: Columns<SurveyRow> = [
    { title: v.name, dataIndex: 'title' },
    { title: v.status, dataIndex: 'status', render: (s: Status) => <Tag color={STATUS_COLOR[s]}>{SURVEY_STATUS[s] ?? s}</Tag> },
    { title: v.onePerDeviceShort, dataIndex: 'onePerDevice', render: (b: boolean) => (b ? ot.detail.yes : ot.detail.no) },
    { title: v.questionCount, dataIndex: 'questionCount', align: 'right' },
    { title: v.responseCount, dataIndex: 'responseCount', align: 'right' },
    { title: v.publishedAt, dataIndex: 'publishedAt', render: (d: string | null) => formatTime(d) },
    { title: v.closedAt, dataIndex: 'closedAt', render: (d: string | null) => formatTime(d) },
    {
      title: v.link,
      key: 'link',
      render: (_: unknown, r) =>
        r.status === 'published' ? (
          <span className="copy-text">
            <a href={publicUrl(r.id)} target="_blank" rel="noreferrer">
              {ot.common.open}
            </a>
            <CopyText text={publicUrl(r.id)} hideText />
          </span>
        ) : (
          ot.common.none
        ),
    },
    {
      title: common.actions,
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, r) => (
        <Flex gap={0} wrap>
          {writable && r.status === 'draft' ? (
            <>
              <button type="button" className="link-action" onClick={() => setEditing(r.id)}>
                {v.edit}
              </button>
              <ConfirmButton title={v.publish} description={v.publishConfirm} onConfirm={() => act(r, 'publish')}>
                {v.publish}
              </ConfirmButton>
            </>
          ) : null}
          {writable && r.status === 'published' ? (
            <ConfirmButton danger title={v.close} description={v.closeConfirm} onConfirm={() => act(r, 'close')}>
              {v.close}
            </ConfirmButton>
          ) : null}
          {r.status !== 'draft' ? (
            <>
              <button type="button" className="link-action" onClick={() => setResults(r)}>
                {v.results}
              </button>
              <button type="button" className="link-action" onClick={() => download(`${KEY}/${r.id}/export`)}>
                {v.export}
              </button>
            </>
          ) : null}
        </Flex>
      ),
    },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={v.subTitle}
      filters={[
        {
          kind: 'tabs',
          name: 'status',
          label: v.status,
          options: [{ value: '', label: v.all }, ...(['draft', 'published', 'closed'] as Status[]).map((st) => ({ value: st, label: SURVEY_STATUS[st] }))],
        },
      ]}
      actions={
        writable ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {v.add}
          </Button>
        ) : null
      }
    >
      <OnDemand open={editing !== null}>
        <BuilderDrawer
          target={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={results !== null}>
        <ResultsDrawer survey={results} onClose={() => setResults(null)} />
      </OnDemand>
    </ListPage>
  );
}
