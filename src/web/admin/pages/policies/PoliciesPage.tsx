// 制度文件: the bureau's rules and standards with their current version, whether the viewer must
// acknowledge it and has. A row opens the policy (version history, 确认已阅; for policies:write the
// new version form and who has read it). Filters and the open policy (?id=) live in the URL; the drawer
// and the forms load when first opened.
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
import { useInvalidate, useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { policies as pt } from '../../i18n/index.js';
import { POLICY_CATEGORIES } from '../../../../shared/schemas/policy-labels.js';
import { POLICIES_KEY, type PolicyRow } from './shared.js';

const l = pt.list;
const PolicyDrawer = lazy(() => import('./PolicyDrawer.js'));
const CreateDrawer = lazy(() => import('./PolicyForms.js').then((m) => ({ default: m.PolicyCreateDrawer })));
const FILTER_KEYS = ['q', 'category'] as const;

export default function PoliciesPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const [creating, setCreating] = useState(false);
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;
  const openId = url.params.get('id');
  const list = useList<PolicyRow>(POLICIES_KEY, { filters, onFiltersChange: url.onFiltersChange });
  const open = (id: string) => setUrl({ id }, true);
  const columns: Columns<PolicyRow> = [
    {
      title: l.title,
      dataIndex: 'title',
      render: (v: string, r) => (
        <RowLink label={l.open(v)} onOpen={() => open(r.id)}>
          {v}
        </RowLink>
      ),
    },
    { title: l.docNo, dataIndex: 'docNo', width: 170, render: (v: string | null) => v ?? pt.detail.none },
    { title: l.category, dataIndex: 'categoryLabel', width: 150 },
    { title: l.issuer, dataIndex: 'issuingUnitName', width: 150 },
    { title: l.version, dataIndex: 'currentVersionNo', width: 90, render: (n: number) => l.versionNo(n) },
    { title: l.effectiveOn, dataIndex: 'currentEffectiveOn', width: 110, render: (v: string) => formatDate(v) },
    {
      title: l.myAck,
      key: 'ack',
      width: 100,
      render: (_: unknown, r) =>
        r.myAckAt ? <Tag color="green">{l.acked}</Tag> : r.requiredForMe ? <Tag color="orange">{l.toAck}</Tag> : <span className="text-secondary">{l.notRequired}</span>,
    },
  ];
  const defs: FilterDef[] = [
    { kind: 'search', name: 'q', label: l.search, width: 220 },
    { kind: 'select', name: 'category', label: l.category, width: 180, options: Object.entries(POLICY_CATEGORIES).map(([value, label]) => ({ value, label })) },
  ];
  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={l.subTitle}
      filters={defs}
      actions={
        can('policies:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {l.add}
          </Button>
        ) : null
      }
      table={{ minWidth: 1000, rowClassName: (r) => (r.id === openId ? 'ant-table-row-selected' : '') }}
    >
      <OnDemand open={creating}>
        <CreateDrawer
          open={creating}
          onClose={() => setCreating(false)}
          onSaved={(id) => {
            setCreating(false);
            void invalidate(POLICIES_KEY);
            open(id);
          }}
        />
      </OnDemand>
      <OnDemand open={openId !== null}>
        <PolicyDrawer id={openId} onClose={() => setUrl({ id: null })} />
      </OnDemand>
    </ListPage>
  );
}
