// One policy: its facts, the current version's text and files, 确认已阅 for the viewer (once per
// version), the earlier versions with their change notes, and for policies:write 发布新版本 and who in
// their scope has and has not acknowledged the current version.
import { lazy, useState } from 'react';
import { Button, Col, Collapse, Descriptions, Drawer, Flex, Row, Skeleton, Tag, Typography } from 'antd';
import { CheckOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { FileLinks } from '../../components/FileLinks.js';
import { formatDate, formatDateTime } from '../../components/format.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OnDemand } from '../../components/OnDemand.js';
import { Pager } from '../../components/Pager.js';
import { Figure } from '../../components/StatCards.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { policies as pt } from '../../i18n/index.js';
import { POLICIES_KEY, type AckCoverage, type AckMissingRow, type PolicyDetail, type PolicyVersion } from './shared.js';

const d = pt.detail;
const c = pt.coverage;
const forms = () => import('./PolicyForms.js');
const VersionDrawer = lazy(() => forms().then((m) => ({ default: m.VersionDrawer })));
const AckModal = lazy(() => forms().then((m) => ({ default: m.AckModal })));

function VersionBody({ v }: { v: PolicyVersion }) {
  return (
    <Flex vertical gap={8}>
      {v.changeNote ? (
        <Typography.Paragraph style={{ margin: 0 }}>
          <strong>{d.changeNote}：</strong>
          {v.changeNote}
        </Typography.Paragraph>
      ) : null}
      {v.body ? <div style={{ whiteSpace: 'pre-wrap', maxHeight: 360, overflow: 'auto' }}>{v.body}</div> : null}
      {v.attachments.length ? <FileLinks files={v.attachments} label={d.attachments} /> : null}
    </Flex>
  );
}

function Coverage({ policyId }: { policyId: string }) {
  const cov = useQuery({ queryKey: [`${POLICIES_KEY}/${policyId}/coverage`], queryFn: () => api.get<AckCoverage>(`${POLICIES_KEY}/${policyId}/coverage`) });
  const missing = useList<AckMissingRow>(`${POLICIES_KEY}/${policyId}/missing`, { pageSize: 10 });
  const data = cov.data;
  const unitColumns: Columns<AckCoverage['units'][number]> = [
    { title: c.unit, dataIndex: 'unitName' },
    { title: c.total, dataIndex: 'total', align: 'right' },
    { title: c.acked, dataIndex: 'acknowledged', align: 'right' },
    { title: c.missing, dataIndex: 'missing', align: 'right' },
  ];
  return (
    <section className="stack" aria-label={d.coverage}>
      <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
        {data ? c.title(data.version.versionNo) : d.coverage}
      </Typography.Title>
      {cov.isError ? <LoadFailed error={cov.error} onRetry={() => void cov.refetch()} /> : null}
      <Row gutter={[12, 12]} data-testid="policy-coverage">
        {(
          [
            [c.total, data?.total],
            [c.acked, data?.acknowledged],
            [c.missing, data?.missing],
            [c.rate, data ? c.percent(data.total ? data.acknowledged / data.total : null) : undefined],
          ] as const
        ).map(([title, value]) => (
          <Col key={title} xs={12} md={6}>
            <Figure title={title} value={value ?? '—'} />
          </Col>
        ))}
      </Row>
      <DataTable size="small" caption={c.byUnitTable} rowKey="unitId" loading={cov.isFetching} dataSource={data?.units ?? []} columns={unitColumns} />
      <DataTable<AckMissingRow>
        size="small"
        caption={c.missingTable}
        rowKey="personId"
        {...missing.tableProps}
        emptyText={missing.tableProps.emptyText ?? c.allAcked}
        columns={[
          { title: c.name, dataIndex: 'name' },
          { title: c.orgUnit, dataIndex: 'orgUnitName' },
        ]}
      />
      {missing.total > missing.pageSize ? <Pager {...missing.pager} sizes={[10, 20, 50]} /> : null}
    </section>
  );
}

export default function PolicyDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const can = useCan();
  const invalidate = useInvalidate();
  const [form, setForm] = useState<'ack' | 'version' | null>(null);
  const query = useQuery({ queryKey: [POLICIES_KEY, id], queryFn: () => api.get<PolicyDetail>(`${POLICIES_KEY}/${id}`), enabled: id !== null });
  const p = query.data;
  const current = p?.versions.find((v) => v.status === 'current');
  const earlier = p?.versions.filter((v) => v.status !== 'current') ?? [];
  const refresh = () => invalidate(POLICIES_KEY);
  return (
    <Drawer open={id !== null} size={Math.min(760, window.innerWidth)} title={p?.title ?? d.title} onClose={onClose} destroyOnHidden>
      {query.isError ? <LoadFailed error={query.error} onRetry={() => void query.refetch()} /> : null}
      {!p ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            bordered
            column={1}
            items={[
              { key: 'no', label: pt.list.docNo, children: p.docNo ?? d.none },
              { key: 'cat', label: pt.list.category, children: p.categoryLabel },
              { key: 'issuer', label: pt.list.issuer, children: p.issuingUnitName },
              { key: 'aud', label: d.audience, children: p.audience === 'units' ? p.audienceUnits.map((u) => u.name).join('、') : p.audienceLabel },
              { key: 'ver', label: pt.list.version, children: `${pt.list.versionNo(p.currentVersionNo)}（${pt.list.effectiveOn} ${formatDate(p.currentEffectiveOn)}）` },
            ]}
          />
          {current ? (
            <section className="stack" aria-label={pt.list.versionNo(current.versionNo)}>
              <Flex justify="space-between" align="center" wrap gap={8}>
                <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
                  {pt.list.versionNo(current.versionNo)} <Tag color="green">{current.statusLabel}</Tag>
                </Typography.Title>
                <Flex gap={8}>
                  {current.myAckAt ? (
                    <Tag color="green" icon={<CheckOutlined />} data-testid="policy-acked">
                      {d.ackedAt(formatDateTime(current.myAckAt))}
                    </Tag>
                  ) : p.canAcknowledge ? (
                    <Button type="primary" icon={<CheckOutlined />} onClick={() => setForm('ack')}>
                      {d.ack}
                    </Button>
                  ) : null}
                  {can('policies:write') ? (
                    <Button icon={<PlusOutlined />} onClick={() => setForm('version')}>
                      {d.newVersion}
                    </Button>
                  ) : null}
                </Flex>
              </Flex>
              {!p.requiredForMe && !current.myAckAt && p.canAcknowledge ? <p className="text-secondary">{d.notRequired}</p> : null}
              <VersionBody v={current} />
            </section>
          ) : null}
          {earlier.length ? (
            <section aria-label={d.versions}>
              <Typography.Title level={3} style={{ fontSize: 16 }}>
                {d.versions}
              </Typography.Title>
              <Collapse
                items={earlier.map((v) => ({
                  key: v.id,
                  label: `${pt.list.versionNo(v.versionNo)}（${v.statusLabel}，${pt.list.effectiveOn} ${formatDate(v.effectiveOn)}）`,
                  children: <VersionBody v={v} />,
                }))}
              />
            </section>
          ) : null}
          {can('policies:write') ? <Coverage key={p.currentVersionId} policyId={p.id} /> : null}
        </Flex>
      )}
      <OnDemand open={form === 'ack'}>
        {p && current ? (
          <AckModal
            open={form === 'ack'}
            policyId={p.id}
            versionId={current.id}
            title={p.title}
            versionNo={current.versionNo}
            onClose={() => setForm(null)}
            onSaved={() => {
              setForm(null);
              void refresh();
            }}
          />
        ) : null}
      </OnDemand>
      <OnDemand open={form === 'version'}>
        {p ? (
          <VersionDrawer
            open={form === 'version'}
            policyId={p.id}
            title={p.title}
            onClose={() => setForm(null)}
            onSaved={() => {
              setForm(null);
              void refresh();
            }}
          />
        ) : null}
      </OnDemand>
    </Drawer>
  );
}
