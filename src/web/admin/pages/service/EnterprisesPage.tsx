// 企业法律服务: service records and 法治体检 latest first, filtered by workstation, county, kind and dates
// (in the URL-free list state), exported to Excel; a row opens its findings, recommendations and
// follow-up. 登记服务 / 登记法治体检 and 跟进 for service:write (the forms load when first opened).
import { lazy, useState } from 'react';
import { Button, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import type { Columns } from '../../components/DataTable.js';
import { formatDate } from '../../components/format.js';
import { labelOptions } from '../../components/formParts.js';
import { ListPage } from '../../components/ListPage.js';
import { OnDemand } from '../../components/OnDemand.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { common, service as st } from '../../i18n/index.js';
import { RISK_LEVELS, SERVICE_KINDS } from '../../../../shared/schemas/service-labels.js';
import { ENTERPRISES_KEY, RECORDS_KEY, SERVED_KEY, WORKSTATIONS_KEY, type RecordRow, type WorkstationRow } from './shared.js';

const t = st.records;
const none = st.common.none;
const forms = () => import('./RecordForms.js');
const RecordForm = lazy(() => forms().then((m) => ({ default: m.RecordForm })));
const FollowUpModal = lazy(() => forms().then((m) => ({ default: m.FollowUpModal })));
const EnterpriseModal = lazy(() => forms().then((m) => ({ default: m.EnterpriseModal })));
const RISK_COLOR = { high: 'red', medium: 'orange', low: 'default' } as const;

export default function EnterprisesPage() {
  const can = useCan();
  const invalidate = useInvalidate();
  const list = useList<RecordRow>(RECORDS_KEY);
  const stations = useQuery({ queryKey: [WORKSTATIONS_KEY, 'all'], queryFn: () => api.get<Page<WorkstationRow>>(`${WORKSTATIONS_KEY}?pageSize=200`) });
  const [form, setForm] = useState<'health_check' | 'visit' | null>(null);
  const [following, setFollowing] = useState<RecordRow | null>(null);
  const [correcting, setCorrecting] = useState<RecordRow | null>(null);

  const columns: Columns<RecordRow> = [
    { title: t.servedOn, dataIndex: 'servedOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.kind, dataIndex: 'kindLabel', width: 90, render: (v: string, r) => (r.kind === 'health_check' ? <Tag color="blue">{v}</Tag> : v) },
    {
      title: t.enterprise,
      dataIndex: 'enterpriseName',
      render: (v: string, r) => (
        <>
          <div>{v}</div>
          <div className="text-secondary">
            {r.enterpriseCode}
            {r.codeWarning ? (
              <Tag color="warning" style={{ marginInlineStart: 6 }} title={r.codeWarning}>
                {r.codeWarning}
              </Tag>
            ) : null}
          </div>
        </>
      ),
    },
    { title: t.county, dataIndex: 'countyName', width: 110 },
    { title: t.workstation, dataIndex: 'workstationName', width: 200, ellipsis: true, responsive: ['lg'] },
    { title: t.staff, dataIndex: 'staff', width: 100, render: (v: RecordRow['staff']) => v.map((p) => p.name).join('、') || none },
    { title: t.followUp, dataIndex: 'followUpLabel', width: 90 },
    ...(can('service:write')
      ? ([
          {
            title: common.actions,
            key: 'actions',
            width: 80,
            render: (_: unknown, r: RecordRow) => (
              <>
                <button type="button" className="link-action" aria-label={t.followUpOf(r.enterpriseName)} onClick={() => setFollowing(r)}>
                  {t.doFollowUp}
                </button>
                <button type="button" className="link-action" aria-label={t.editEnterpriseOf(r.enterpriseName)} onClick={() => setCorrecting(r)}>
                  {t.editEnterprise}
                </button>
              </>
            ),
          },
        ] as Columns<RecordRow>)
      : []),
  ];

  const saved = () => {
    setForm(null);
    setFollowing(null);
    setCorrecting(null);
    void invalidate(RECORDS_KEY, SERVED_KEY, WORKSTATIONS_KEY, ENTERPRISES_KEY);
  };
  return (
    <ListPage<RecordRow>
      list={list}
      columns={columns}
      subTitle={t.subTitle}
      panelLabel={t.table}
      exportPath={`${RECORDS_KEY}/export`}
      exportLabel={t.export}
      table={{
        rowKey: 'id',
        minWidth: 1000,
        expandable: {
          label: t.expand,
          expandedRowRender: (r: RecordRow) => (
            <div style={{ whiteSpace: 'pre-wrap' }}>
              <p style={{ marginTop: 0 }}>
                <strong>{t.summary}：</strong>
                {r.summary}
              </p>
              {r.findings.length ? (
                <>
                  <strong>{t.findings}：</strong>
                  <ul style={{ margin: '4px 0 8px' }}>
                    {r.findings.map((f, i) => (
                      <li key={i}>
                        【{f.area}】<Tag color={RISK_COLOR[f.risk]}>{t.risk(RISK_LEVELS[f.risk])}</Tag>
                        {f.finding}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {r.recommendations ? (
                <p>
                  <strong>{t.recommendations}：</strong>
                  {r.recommendations}
                </p>
              ) : null}
              <p style={{ marginBottom: 0 }}>
                <strong>{t.followUpText}：</strong>
                {r.followUp || r.followUpLabel}
              </p>
            </div>
          ),
        },
      }}
      filters={[
        {
          kind: 'select',
          name: 'workstationId',
          label: t.workstation,
          width: 260,
          options: (stations.data?.items ?? []).map((w) => ({ value: w.id, label: w.name })),
        },
        { kind: 'unit', name: 'countyId', label: t.county, width: 180 },
        { kind: 'select', name: 'kind', label: t.kind, options: labelOptions(SERVICE_KINDS), width: 140 },
        { kind: 'dates', from: 'from', to: 'to', label: t.dates },
      ]}
      actions={
        can('service:write') ? (
          <>
            <Button icon={<PlusOutlined />} onClick={() => setForm('visit')}>
              {t.add}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm('health_check')}>
              {t.addCheck}
            </Button>
          </>
        ) : null
      }
    >
      <OnDemand open={form !== null}>
        <RecordForm key={form ?? 'closed'} open={form !== null} kind={form ?? 'visit'} workstations={stations.data?.items ?? []} onClose={() => setForm(null)} onSaved={saved} />
      </OnDemand>
      <OnDemand open={following !== null}>
        <FollowUpModal record={following} onClose={() => setFollowing(null)} onSaved={saved} />
      </OnDemand>
      <OnDemand open={correcting !== null}>
        <EnterpriseModal record={correcting} onClose={() => setCorrecting(null)} onSaved={saved} />
      </OnDemand>
    </ListPage>
  );
}
