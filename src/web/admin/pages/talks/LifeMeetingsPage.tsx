// 民主生活会: a campaign's meetings, newest first, with how many attended and how many problems each
// found; one meeting (?id= in the URL) opens with its problems and the ledger items they became. The
// drawers load when first opened.
import { lazy, useState } from 'react';
import { Button } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { RowLink } from '../../components/RowLink.js';
import { formatDate } from '../../components/format.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useShownCampaign } from '../../components/useShownCampaign.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { talks as tt } from '../../i18n/index.js';
import { campaignFilter, ITEMS_KEY, useCampaigns } from '../rectification/shared.js';
import { MEETINGS_KEY, type MeetingPage, type MeetingRow } from './shared.js';

const m = tt.meetings;
const parts = () => import('./LifeMeetingParts.js');
const CreateDrawer = lazy(() => parts().then((x) => ({ default: x.CreateDrawer })));
const DetailDrawer = lazy(() => parts().then((x) => ({ default: x.DetailDrawer })));

const FILTER_KEYS = ['campaignId'] as const;

export default function LifeMeetingsPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const [creating, setCreating] = useState(false);
  const url = useUrlFilters(FILTER_KEYS);
  const { filters, set: setUrl } = url;
  const openId = url.params.get('id');
  const list = useList<MeetingRow, MeetingPage>(MEETINGS_KEY, { filters, onFiltersChange: url.onFiltersChange });
  const { campaignId, defaultId } = useShownCampaign(filters.campaignId, list.query.isPlaceholderData ? undefined : list.data?.campaignId);
  const { data: campaigns = [] } = useCampaigns();

  const open = (id: string) => setUrl({ id }, true);
  const columns: Columns<MeetingRow> = [
    {
      title: m.title,
      dataIndex: 'title',
      render: (v: string, r) => <RowLink onOpen={() => open(r.id)}>{v}</RowLink>,
    },
    { title: m.heldOn, dataIndex: 'heldOn', width: 104, render: (v: string) => formatDate(v) },
    { title: m.orgUnit, dataIndex: 'orgUnitName', width: 150, ellipsis: true },
    { title: m.host, dataIndex: 'host', width: 150, ellipsis: true },
    { title: m.location, dataIndex: 'location', width: 160, ellipsis: true, responsive: ['xl'], render: (v: string | null) => v ?? tt.common.none },
    { title: m.attendeeCount, dataIndex: 'attendeeCount', width: 84, align: 'right' },
    { title: m.problemCount, dataIndex: 'problemCount', width: 84, align: 'right' },
  ];

  return (
    <ListPage
      list={list}
      columns={columns}
      subTitle={m.subTitle}
      filters={[campaignFilter(campaigns, defaultId)]}
      actions={
        can('lifemeetings:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {m.add}
          </Button>
        ) : null
      }
      table={{
        minWidth: 860,
        onRow: (r) => ({ onClick: () => open(r.id), style: { cursor: 'pointer' } }),
        rowClassName: (r) => (r.id === openId ? 'ant-table-row-selected' : ''),
      }}
    >
      <OnDemand open={creating}>
        <CreateDrawer
          open={creating}
          campaigns={campaigns}
          campaignId={campaignId}
          onClose={() => setCreating(false)}
          onSaved={(id) => {
            setCreating(false);
            // Its problems are ledger items now: the ledger's lists are stale too.
            void invalidate(MEETINGS_KEY, ITEMS_KEY);
            open(id);
          }}
        />
      </OnDemand>
      <OnDemand open={openId !== null}>
        <DetailDrawer id={openId} onClose={() => setUrl({ id: null })} />
      </OnDemand>
    </ListPage>
  );
}
