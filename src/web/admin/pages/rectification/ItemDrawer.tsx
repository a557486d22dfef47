// One ledger item in full: its fields, sub-items (each opens here), the progress reports with their
// evidence, and the actions the user may take now — 编辑, 报送进展, 新增子事项, 销号 — with why an action
// is not open when it is not. The forms load when first opened.
import { lazy, useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Button, Card, Descriptions, Drawer, Empty, Flex, Skeleton, Space, Timeline, Typography } from 'antd';
import { CheckCircleOutlined, EditOutlined, PlusOutlined, RiseOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan, useMe } from '../../auth/useMe.js';
import { DataTable } from '../../components/DataTable.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { FileLinks } from '../../components/FileLinks.js';
import { formatDate, formatTime } from '../../components/format.js';
import { rectification as rt } from '../../i18n/index.js';
import { ItemProgress, StateTag } from './ItemState.js';
import { ITEMS_KEY, type ItemDetail, type ItemRow } from './shared.js';

const d = rt.detail;
const none = rt.common.none;
const forms = () => import('./ItemForms.js');
const ItemFormDrawer = lazy(() => forms().then((m) => ({ default: m.ItemFormDrawer })));
const ProgressModal = lazy(() => forms().then((m) => ({ default: m.ProgressModal })));
const SignOffModal = lazy(() => forms().then((m) => ({ default: m.SignOffModal })));

type FormKind = 'edit' | 'child' | 'progress' | 'signOff';

function Section({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <Card size="small" title={title}>
      {children}
    </Card>
  );
}

const text = (v: string | null) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{v || none}</Typography.Paragraph>;

export default function ItemDrawer({ id, onClose, onOpen }: { id: string | null; onClose: () => void; onOpen: (id: string) => void }) {
  const can = useCan();
  // A county's share of a city-wide item is listed on its own: its parent is outside the county's
  // scope, so only those who see everything get a link to the parent.
  const seesAll = useMe().roles.some((r) => r.dataScope === 'all');
  const [form, setForm] = useState<FormKind | null>(null);
  const query = useQuery({
    queryKey: [ITEMS_KEY, 'detail', id],
    queryFn: () => api.get<ItemDetail>(`${ITEMS_KEY}/${id}`),
    enabled: Boolean(id),
  });
  const it = query.data;
  // A form belongs to the item it was opened on.
  useEffect(() => setForm(null), [id]);

  let body: ReactNode;
  if (query.isError) body = <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  else if (!it) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else {
    const write = can('rectification:write');
    const signoff = can('rectification:signoff');
    const signedOff = it.status === 'signed_off';
    const openChildren = it.children.filter((c) => c.status !== 'signed_off');
    const why: string[] = [];
    if (signedOff && (write || signoff)) why.push(d.why.signedOff);
    if (write && !signedOff && it.childCount > 0) why.push(d.why.rollsUp);
    if (signoff && !signedOff) {
      if (it.status !== 'done') why.push(d.why.notDone(it.stateLabel));
      else if (openChildren.length) why.push(d.why.childrenOpen(openChildren.map((c) => c.seq).join('、')));
    }
    const parentNo = it.parentId ? it.number.split('-')[0]! : null;

    body = (
      <Flex vertical gap={12}>
        {write || signoff ? (
          <div>
            <Flex gap={8} wrap>
              {write ? (
                <>
                  <Button icon={<EditOutlined />} disabled={signedOff} onClick={() => setForm('edit')}>
                    {d.edit}
                  </Button>
                  <Button type="primary" icon={<RiseOutlined />} disabled={signedOff || it.childCount > 0} onClick={() => setForm('progress')}>
                    {d.report}
                  </Button>
                  {it.parentId ? null : (
                    <Button icon={<PlusOutlined />} disabled={signedOff} onClick={() => setForm('child')}>
                      {d.addChild}
                    </Button>
                  )}
                </>
              ) : null}
              {signoff ? (
                <Button
                  icon={<CheckCircleOutlined />}
                  disabled={signedOff || it.status !== 'done' || openChildren.length > 0}
                  onClick={() => setForm('signOff')}
                >
                  {d.signOff}
                </Button>
              ) : null}
            </Flex>
            {why.map((w) => (
              <p key={w} className="text-secondary" style={{ margin: '6px 0 0' }}>
                {w}
              </p>
            ))}
          </div>
        ) : null}
        <Section title={d.basics}>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'state', label: d.state, children: <StateTag item={it} /> },
              { key: 'progress', label: d.progress, children: <ItemProgress item={it} /> },
              { key: 'list', label: d.list, children: it.listLabel },
              {
                key: 'source',
                label: d.source,
                children: (
                  <Space size={8} wrap>
                    {it.sourceLabel}
                    {it.source === 'opinion' && it.sourceRef && can('opinions:read') ? <Link to={`/opinions?id=${it.sourceRef}`}>{d.openSource}</Link> : null}
                  </Space>
                ),
              },
              ...(it.parentId
                ? [{
                    key: 'parent',
                    label: d.parent,
                    children: seesAll ? (
                      <button type="button" className="link-button" onClick={() => onOpen(it.parentId!)}>
                        {d.parentNo(parentNo!)}
                      </button>
                    ) : (
                      d.parentNo(parentNo!)
                    ),
                  }]
                : []),
              { key: 'category', label: d.category, children: it.categoryName ? `${it.categoryCode ?? ''} ${it.categoryName}`.trim() : none },
              { key: 'unit', label: d.unit, children: it.orgUnitName },
              { key: 'person', label: d.person, children: it.responsiblePersonName ?? none },
              { key: 'mode', label: d.mode, children: it.modeLabel },
              { key: 'startDate', label: d.startDate, children: formatDate(it.startDate) },
              {
                key: 'deadline',
                label: d.deadline,
                children: <span className={it.state === 'overdue' ? 'text-danger' : undefined}>{formatDate(it.deadline)}</span>,
              },
              { key: 'isPublic', label: d.isPublic, children: it.isPublic ? rt.common.yes : rt.common.no },
              { key: 'weight', label: d.weight, children: it.weight },
              { key: 'completedAt', label: d.completedAt, children: formatTime(it.completedAt) },
              ...(it.signedOffAt
                ? [
                    { key: 'signedOffAt', label: d.signedOffAt, children: formatTime(it.signedOffAt) },
                    { key: 'signOffNote', label: d.signOffNote, children: it.signOffNote ?? none },
                  ]
                : []),
              ...(it.rating ? [{ key: 'rating', label: d.rating, children: d.ratingText(it.rating.average, it.rating.count) }] : []),
              { key: 'createdAt', label: d.createdAt, children: formatTime(it.createdAt) },
              { key: 'updatedAt', label: d.updatedAt, children: formatTime(it.updatedAt) },
            ]}
          />
        </Section>
        <Section title={d.description}>{text(it.description)}</Section>
        <Section title={d.measures}>{text(it.measures)}</Section>
        <Section title={d.goal}>{text(it.goal)}</Section>
        {it.childCount > 0 || it.children.length ? (
          <Section title={`${d.children}（${it.children.length}）`}>
            <DataTable<ItemRow>
              size="small"
              caption={d.children}
              dataSource={it.children}
              minWidth={640}
              columns={[
                { title: rt.list.number, dataIndex: 'number', width: 64 },
                {
                  title: rt.list.title,
                  dataIndex: 'title',
                  render: (v: string, r) => (
                    <button type="button" className="link-button" onClick={() => onOpen(r.id)}>
                      {v}
                    </button>
                  ),
                },
                { title: rt.list.unit, dataIndex: 'orgUnitName' },
                {
                  title: rt.list.deadline,
                  dataIndex: 'deadline',
                  width: 104,
                  render: (v: string | null, r) => <span className={r.state === 'overdue' ? 'text-danger' : undefined}>{formatDate(v)}</span>,
                },
                { title: rt.list.progress, dataIndex: 'progress', width: 140, render: (_: number, r) => <ItemProgress item={r} /> },
                { title: rt.list.state, dataIndex: 'state', width: 84, render: (_: string, r) => <StateTag item={r} /> },
              ]}
            />
          </Section>
        ) : null}
        <Section title={d.reports}>
          {it.progressReports.length ? (
            <Timeline
              items={it.progressReports.map((r) => ({
                title: formatTime(r.createdAt),
                content: (
                  <div data-testid="progress-report">
                    <Space size={8} wrap>
                      <Typography.Text strong>{d.reportPercent(r.percent)}</Typography.Text>
                      {r.actorName ? <Typography.Text type="secondary">{d.by(r.actorName)}</Typography.Text> : null}
                    </Space>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{r.note}</div>
                    <FileLinks files={r.attachments} label={d.evidence} />
                  </div>
                ),
              }))}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={d.noReports} />
          )}
        </Section>
      </Flex>
    );
  }

  const close = () => setForm(null);
  return (
    <>
      <Drawer
        open={Boolean(id)}
        onClose={onClose}
        size={Math.min(960, window.innerWidth)}
        destroyOnHidden
        title={
          it ? (
            <Space wrap>
              {d.title(it.number)}
              {it.title}
            </Space>
          ) : (
            d.loading
          )
        }
      >
        {body}
      </Drawer>
      {it ? (
        <>
          <OnDemand open={form === 'edit' || form === 'child'}>
            <ItemFormDrawer
              open={form === 'edit' || form === 'child'}
              target={form === 'child' ? { kind: 'create', campaignId: it.campaignId, list: it.list, parent: it } : { kind: 'edit', item: it }}
              onClose={close}
              onSaved={close}
            />
          </OnDemand>
          <OnDemand open={form === 'progress'}>
            <ProgressModal item={it} open={form === 'progress'} onClose={close} onSaved={close} />
          </OnDemand>
          <OnDemand open={form === 'signOff'}>
            <SignOffModal item={it} open={form === 'signOff'} onClose={close} onSaved={close} />
          </OnDemand>
        </>
      ) : null}
    </>
  );
}
