// 座谈会: meetings with the public — date, host, attendees (our people and outside representatives),
// minutes, and the opinions raised there (each one becomes an opinion with channel 座谈会 and gets a
// receipt code, shown once after saving). The list loads alone; its drawers when first opened.
import { lazy, useState } from 'react';
import { Button } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useFeedback } from '../../components/feedback.js';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { formatDate } from '../../components/format.js';
import { opinions as ot } from '../../i18n/index.js';
import { useInvalidateOpinions, type Receipt } from './shared.js';
import type { SymposiumRow } from './SymposiumParts.js';

const y = ot.symposium;
const KEY = '/api/symposiums';
const parts = () => import('./SymposiumParts.js');
const CreateDrawer = lazy(() => parts().then((m) => ({ default: m.CreateDrawer })));
const DetailDrawer = lazy(() => parts().then((m) => ({ default: m.DetailDrawer })));
const AddOpinionsModal = lazy(() => parts().then((m) => ({ default: m.AddOpinionsModal })));
const ReceiptModal = lazy(() => import('./ReceiptModal.js'));

export default function SymposiumsPage() {
  const can = useCan();
  const { message } = useFeedback();
  const invalidate = useInvalidate();
  const invalidateOpinions = useInvalidateOpinions();
  const [creating, setCreating] = useState(false);
  const [detailId, setDetailId] = useState<string | null>(null);
  const [addingTo, setAddingTo] = useState<string | null>(null);
  const [receipts, setReceipts] = useState<Receipt[] | null>(null);
  const list = useList<SymposiumRow>(KEY);
  const refresh = () => Promise.all([invalidate(KEY), invalidateOpinions()]);

  const columns: Columns<SymposiumRow> = [
    {
      title: y.name,
      dataIndex: 'title',
      render: (v: string, r) => (
        <button
          type="button"
          className="link-button"
          onClick={(e) => {
            e.stopPropagation();
            setDetailId(r.id);
          }}
        >
          {v}
        </button>
      ),
    },
    { title: y.heldOn, dataIndex: 'heldOn', render: (v: string) => formatDate(v) },
    { title: y.host, dataIndex: 'host' },
    { title: y.location, dataIndex: 'location', render: (v: string | null) => v ?? ot.common.none },
    { title: y.orgUnit, dataIndex: 'orgUnitName', render: (v: string | null) => v ?? ot.common.none },
    { title: y.attendeeCount, dataIndex: 'attendeeCount', align: 'right' },
    { title: y.opinionCount, dataIndex: 'opinionCount', align: 'right' },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={y.subTitle}
      filters={[{ kind: 'search', name: 'q', label: y.q, width: 320 }]}
      actions={
        can('symposiums:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {y.add}
          </Button>
        ) : null
      }
      table={{ onRow: (r) => ({ onClick: () => setDetailId(r.id), style: { cursor: 'pointer' } }) }}
    >
      <OnDemand open={creating}>
        <CreateDrawer
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(id, got) => {
            setCreating(false);
            void refresh();
            setDetailId(id);
            if (got.length) setReceipts(got);
          }}
        />
      </OnDemand>
      <OnDemand open={detailId !== null}>
        <DetailDrawer id={detailId} onClose={() => setDetailId(null)} onAddOpinions={setAddingTo} />
      </OnDemand>
      <OnDemand open={addingTo !== null}>
        <AddOpinionsModal
          symposiumId={addingTo}
          onClose={() => setAddingTo(null)}
          onAdded={(got) => {
            setAddingTo(null);
            message.success(y.opinionsAdded(got.length));
            void refresh();
            if (got.length) setReceipts(got);
          }}
        />
      </OnDemand>
      <OnDemand open={receipts !== null}>
        <ReceiptModal receipts={receipts} title={y.receiptsTitle} onClose={() => setReceipts(null)} />
      </OnDemand>
    </ListPage>
  );
}
