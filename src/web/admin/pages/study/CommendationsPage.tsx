// 选树典型: the party organisations and people commended (先进基层党组织, 优秀党员, 优秀党务工作者…),
// newest first, with who conferred it and why; the organisers record and correct them. The form loads
// when first opened.
import { lazy, useState } from 'react';
import { Button, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { formatDate } from '../../components/format.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { study as st } from '../../i18n/index.js';
import { COMMENDATION_KINDS, type CommendationKind } from '../../../../shared/schemas/study-labels.js';
import { useCampaigns } from '../rectification/shared.js';
import { COMMENDATIONS_KEY, type Commendation } from './shared.js';
import './study.css';

const t = st.commendations;
const CommendationFormDrawer = lazy(() => import('./CommendationForm.js'));
const FILTER_KEYS = ['kind'] as const;
const KIND_COLORS: Record<CommendationKind, string> = { party_org: 'red', person: 'gold' };

export default function CommendationsPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const url = useUrlFilters(FILTER_KEYS);
  const list = useList<Commendation>(COMMENDATIONS_KEY, { filters: url.filters, onFiltersChange: url.onFiltersChange });
  const [form, setForm] = useState<'create' | 'edit' | null>(null);
  const [editing, setEditing] = useState<Commendation | null>(null);
  const { data: campaigns = [] } = useCampaigns();
  const write = can('study:write');

  const columns: Columns<Commendation> = [
    { title: t.conferredOn, dataIndex: 'conferredOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.kind, dataIndex: 'kind', width: 104, render: (v: CommendationKind, r) => <Tag color={KIND_COLORS[v]}>{r.kindLabel}</Tag> },
    { title: t.name, dataIndex: 'name', width: 180, ellipsis: true, render: (v: string | null) => v ?? st.common.none },
    { title: t.unit, dataIndex: 'orgUnitName', width: 140, ellipsis: true, responsive: ['xl'] },
    { title: t.title, dataIndex: 'title', width: 160 },
    { title: t.conferredBy, dataIndex: 'conferredBy', width: 150, ellipsis: true },
    { title: t.reason, dataIndex: 'reason', ellipsis: true },
    ...(write
      ? [{
          title: t.actions,
          key: 'actions',
          width: 64,
          render: (_: unknown, r: Commendation) => (
            <button
              type="button"
              className="link-action"
              aria-label={`${st.common.edit}：${r.name ?? ''} ${r.title}`}
              onClick={() => {
                setEditing(r);
                setForm('edit');
              }}
            >
              {st.common.edit}
            </button>
          ),
        }]
      : []),
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={t.subTitle}
      filters={[{ kind: 'select', name: 'kind', label: t.kind, options: Object.entries(COMMENDATION_KINDS).map(([value, label]) => ({ value, label })), width: 150 }]}
      actions={
        write ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setForm('create');
            }}
          >
            {t.add}
          </Button>
        ) : null
      }
      table={{
        minWidth: 960,
        expandable: { label: t.expand, expandedRowRender: (r) => <div className="study-pre">{r.reason}</div> },
      }}
    >
      <OnDemand open={form !== null}>
        <CommendationFormDrawer
          open={form !== null}
          commendation={editing}
          campaigns={campaigns}
          onClose={() => setForm(null)}
          onSaved={() => {
            setForm(null);
            void invalidate(COMMENDATIONS_KEY);
          }}
        />
      </OnDemand>
    </ListPage>
  );
}
