// 便民利民措施: the measures by group and number (filters: group, responsible unit, status), each opening
// a drawer with its milestones, progress history and evidence; create, edit, milestones and progress
// for service:write. The drawer and the forms load when first opened.
import { lazy, useState } from 'react';
import { Button, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import { formatDate } from '../../components/format.js';
import { labelOptions } from '../../components/formParts.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { service as st } from '../../i18n/index.js';
import { MEASURE_GROUPS, MEASURE_STATUSES } from '../../../../shared/schemas/service-labels.js';
import { MEASURES_KEY, STATUS_COLOR, type MeasureRow } from './shared.js';

const t = st.measures;
const parts = () => import('./MeasureParts.js');
const MeasureDrawer = lazy(() => parts().then((m) => ({ default: m.MeasureDrawer })));
const MeasureForm = lazy(() => parts().then((m) => ({ default: m.MeasureForm })));

/**
 * The percent as text with a thin bar beside it (hidden from screen readers: the text says it). Not
 * antd's Progress, which would add its weight to the page's first load.
 */
function ProgressCell({ value, late }: { value: number; late: boolean }) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  const color = late ? 'var(--ant-color-error, #cf1322)' : v >= 100 ? 'var(--ant-color-success, #389e0d)' : 'var(--ant-color-primary, #1677ff)';
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, width: '100%' }}>
      <span aria-hidden style={{ flex: 1, height: 6, borderRadius: 3, background: 'rgba(0,0,0,0.08)', overflow: 'hidden' }}>
        <span style={{ display: 'block', height: '100%', width: `${v}%`, background: color }} />
      </span>
      <span style={{ minWidth: 36, textAlign: 'right' }}>{v}%</span>
    </span>
  );
}

export default function MeasuresPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const list = useList<MeasureRow>(MEASURES_KEY);
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const columns: Columns<MeasureRow> = [
    { title: t.group, dataIndex: 'groupLabel', width: 170 },
    { title: t.number, dataIndex: 'number', width: 64, align: 'right' },
    {
      title: t.title,
      dataIndex: 'title',
      render: (v: string, r) => (
        <button type="button" className="link-button" aria-label={t.open(v)} onClick={() => setOpen(r.id)}>
          {v}
        </button>
      ),
    },
    { title: t.unit, dataIndex: 'orgUnitName', width: 170, ellipsis: true },
    { title: t.due, dataIndex: 'dueDate', width: 110, render: (v: string | null) => (v ? formatDate(v) : t.longTerm) },
    {
      title: t.progress,
      dataIndex: 'progress',
      width: 150,
      render: (v: number, r) => <ProgressCell value={v} late={r.status === 'overdue'} />,
    },
    { title: t.status, dataIndex: 'statusLabel', width: 84, render: (v: string, r) => <Tag color={STATUS_COLOR[r.status]}>{v}</Tag> },
    { title: t.public, dataIndex: 'isPublic', width: 72, render: (v: boolean) => (v ? t.isPublic : <span className="text-secondary">{t.notPublic}</span>) },
  ];

  return (
    <ListPage<MeasureRow>
      list={list}
      columns={columns}
      subTitle={t.subTitle}
      panelLabel={t.table}
      table={{ rowKey: 'id', minWidth: 960 }}
      filters={[
        { kind: 'select', name: 'group', label: t.group, options: labelOptions(MEASURE_GROUPS), width: 200 },
        { kind: 'unit', name: 'orgUnitId', label: t.unit, width: 220 },
        { kind: 'select', name: 'status', label: t.status, options: labelOptions(MEASURE_STATUSES), width: 140 },
      ]}
      actions={
        can('service:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t.add}
          </Button>
        ) : null
      }
    >
      <OnDemand open={Boolean(open)}>
        <MeasureDrawer id={open} onClose={() => setOpen(null)} onChanged={() => void invalidate(MEASURES_KEY)} />
      </OnDemand>
      <OnDemand open={creating}>
        <MeasureForm
          open={creating}
          onClose={() => setCreating(false)}
          onSaved={(id) => {
            setCreating(false);
            void invalidate(MEASURES_KEY);
            setOpen(id);
          }}
        />
      </OnDemand>
    </ListPage>
  );
}
