// 问题线索 (restricted, 线索管理员 only): the campaign's clues with where each one stands — source, category,
// who or which unit it concerns, stage, disposal method and its deadline. The list carries no clue text;
// the text, the people's leniency and the history open one clue at a time (each read audited). Filters
// and the open clue (?id=) live in the URL. The drawer and the forms load when first opened.
import { lazy, useState } from 'react';
import { Button, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import type { FilterDef } from '../../components/FilterBar.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { RowLink } from '../../components/RowLink.js';
import { formatDate } from '../../components/format.js';
import { useList } from '../../components/useList.js';
import { useShownCampaign } from '../../components/useShownCampaign.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { clues as ct } from '../../i18n/index.js';
import { CLUE_SOURCES, CLUE_STAGES } from '../../../../shared/schemas/clue-labels.js';
import { campaignFilter, useCampaigns } from '../rectification/shared.js';
import { CLUES_KEY, STAGE_COLOR, subjectText, type CluePage, type ClueRow } from './shared.js';

const l = ct.list;
const ClueDrawer = lazy(() => import('./ClueDrawer.js'));
const RegisterDrawer = lazy(() => import('./ClueForms.js').then((m) => ({ default: m.RegisterDrawer })));

const FILTER_KEYS = ['campaignId', 'stage', 'source'] as const;
const NOWRAP = { whiteSpace: 'nowrap' } as const;
const stageOptions = Object.entries(CLUE_STAGES).map(([value, label]) => ({ value, label }));
const sourceOptions = Object.entries(CLUE_SOURCES).map(([value, label]) => ({ value, label }));

export default function CluesPage() {
  const can = useCan();
  const [registering, setRegistering] = useState(false);
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;
  const openId = url.params.get('id');
  const list = useList<ClueRow, CluePage>(CLUES_KEY, { filters, onFiltersChange: url.onFiltersChange });

  const { campaignId, defaultId } = useShownCampaign(filters.campaignId, list.query.isPlaceholderData ? undefined : list.data?.campaignId);
  const { data: campaigns = [] } = useCampaigns();

  const open = (id: string) => setUrl({ id }, true);
  const columns: Columns<ClueRow> = [
    {
      title: l.clueNo,
      dataIndex: 'clueNo',
      width: 150,
      render: (v: string, r) => (
        <RowLink label={l.open(v)} onOpen={() => open(r.id)}>
          {v}
        </RowLink>
      ),
    },
    { title: l.source, dataIndex: 'sourceLabel', width: 130, render: (v: string) => <span style={NOWRAP}>{v}</span> },
    { title: l.category, dataIndex: 'categoryName', width: 180, ellipsis: true, render: (v: string | null) => v ?? ct.common.none },
    {
      title: l.subjects,
      dataIndex: 'subjects',
      render: (v: ClueRow['subjects']) => <div style={{ minWidth: 160 }}>{v.map(subjectText).join('、') || ct.common.none}</div>,
    },
    { title: l.receivedOn, dataIndex: 'receivedOn', width: 104, render: (v: string) => <span style={NOWRAP}>{formatDate(v)}</span> },
    { title: l.stage, dataIndex: 'stage', width: 84, render: (_: string, r) => <Tag color={STAGE_COLOR[r.stage]}>{r.stageLabel}</Tag> },
    { title: l.method, dataIndex: 'disposalMethodLabel', width: 96, render: (v: string | null) => <span style={NOWRAP}>{v ?? ct.common.none}</span> },
    {
      // The deadline of the step the clue is at (dispose within 15 days, verify by the disposal's 办理期限, decide within 30 days).
      title: l.due,
      dataIndex: 'stageDue',
      width: 120,
      // Red and said in words: the colour alone would not reach everyone.
      render: (v: string | null, r) => (
        <span className={r.overdue ? 'text-danger' : undefined} style={NOWRAP}>
          {formatDate(v)}
          {r.overdue ? ` ${l.overdue}` : ''}
        </span>
      ),
    },
  ];

  const filterDefs: FilterDef[] = [
    campaignFilter(campaigns, defaultId),
    { kind: 'select', name: 'stage', label: l.stage, options: stageOptions, width: 120 },
    { kind: 'select', name: 'source', label: l.source, options: sourceOptions, width: 160 },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={l.subTitle}
      notice={
        <p className="notice warning" role="note">
          {l.restricted}
        </p>
      }
      filters={filterDefs}
      actions={
        can('clues:write') && campaignId ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)}>
            {l.add}
          </Button>
        ) : null
      }
      table={{
        minWidth: 1040,
        onRow: (r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' } }),
        rowClassName: (r) => (r.id === openId ? 'ant-table-row-selected' : ''),
      }}
    >
      <OnDemand open={registering}>
        {campaignId ? (
          <RegisterDrawer
            open={registering}
            campaignId={campaignId}
            onClose={() => setRegistering(false)}
            onSaved={(id) => {
              setRegistering(false);
              open(id);
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={openId !== null}>
        <ClueDrawer id={openId} onClose={() => setUrl({ id: null })} />
      </OnDemand>
    </ListPage>
  );
}
