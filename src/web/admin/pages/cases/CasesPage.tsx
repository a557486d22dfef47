// 案件受理: 行政复议申请 and 企业矛盾纠纷调解 cases, one tab each, with the overdue counts on top.
// Filters (status, overdue only, unit, received dates) live in the URL; an open case past its running
// deadline is highlighted. Every step (受理审查, 延期, 决定, 结案, 撤回) is a form loaded on demand.
import { lazy, useState } from 'react';
import { Button, Col, Row, Tabs, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import '../../components/data-table.css';
import { FilterBar, type FilterDef } from '../../components/FilterBar.js';
import { formatDate } from '../../components/format.js';
import { labelOptions } from '../../components/formParts.js';
import { OnDemand } from '../../components/OnDemand.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Pager } from '../../components/Pager.js';
import { Figure } from '../../components/StatCards.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useUrlFilters } from '../../components/useUrlFilters.js';
import { cases as ct } from '../../i18n/index.js';
import { MEDIATION_STATUSES, RECONSIDERATION_STATUSES } from '../../../../shared/schemas/cases-labels.js';
import './cases.css';
import { MEDIATIONS_KEY, OVERDUE_KEY, RECONSIDERATIONS_KEY, type CaseAction, type MediationRow, type ReconsiderationRow } from './shared.js';

const t = ct.page;
const CaseForm = lazy(() => import('./CaseForms.js').then((m) => ({ default: m.CaseForm })));

const FILTER_KEYS = ['tab', 'status', 'overdue', 'orgUnitId', 'from', 'to'] as const;

function DueCell({ dueOn, daysLeft, overdue }: { dueOn: string | null; daysLeft: number | null; overdue: boolean }) {
  if (!dueOn) return <>{ct.none}</>;
  return (
    <span className={overdue ? 'text-danger' : undefined}>
      {formatDate(dueOn)}{' '}
      {overdue ? <Tag color="red">{t.overdueDays(-(daysLeft ?? 0))}</Tag> : daysLeft !== null && daysLeft <= 7 ? <Tag color="gold">{t.daysLeft(daysLeft)}</Tag> : null}
    </span>
  );
}

export default function CasesPage() {
  const can = useCan();
  const write = can('cases:write');
  const invalidate = useInvalidate();
  const { filters, set } = useUrlFilters(FILTER_KEYS);
  const tab = filters.tab === 'mediation' ? 'mediation' : 'reconsideration';
  const [action, setAction] = useState<CaseAction | null>(null);
  const setFilters = (patch: Record<string, string | number | undefined>) =>
    set(Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v === undefined ? null : String(v)])));
  const where = { status: filters.status, overdue: filters.overdue, orgUnitId: filters.orgUnitId, from: filters.from, to: filters.to };
  const recon = useList<ReconsiderationRow>(RECONSIDERATIONS_KEY, { filters: where, enabled: tab === 'reconsideration' });
  const med = useList<MediationRow>(MEDIATIONS_KEY, { filters: where, enabled: tab === 'mediation' });
  const overdue = useQuery({ queryKey: [OVERDUE_KEY], queryFn: () => api.get<{ reconsideration: number; mediation: number }>(OVERDUE_KEY) });
  const refresh = () => invalidate(RECONSIDERATIONS_KEY, MEDIATIONS_KEY, OVERDUE_KEY);

  const act = (label: string, what: string, a: CaseAction) => (
    <button key={label} type="button" className="link-action" aria-label={t.actionOf(label, what)} onClick={() => setAction(a)} style={{ marginRight: 8 }}>
      {label}
    </button>
  );

  const reconColumns: Columns<ReconsiderationRow> = [
    { title: t.received, dataIndex: 'receivedOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.caseNo, dataIndex: 'caseNo', width: 150, render: (v: string | null) => v ?? ct.none, responsive: ['xl'] },
    { title: t.applicant, dataIndex: 'applicant', width: 160 },
    { title: t.respondent, dataIndex: 'respondent', width: 180 },
    { title: t.act, dataIndex: 'act', ellipsis: true, responsive: ['lg'] },
    { title: t.unit, dataIndex: 'orgUnitName', width: 130, ellipsis: true, responsive: ['xl'] },
    { title: t.status, dataIndex: 'statusLabel', width: 120, render: (v: string, r) => <>{v}{r.extensionDays ? <Tag style={{ marginLeft: 4 }}>{t.extended(r.extensionDays)}</Tag> : null}</> },
    { title: t.due, key: 'due', width: 190, render: (_: unknown, r) => <DueCell {...r} /> },
    { title: t.outcome, dataIndex: 'outcomeLabel', width: 90, render: (v: string | null) => v ?? ct.none },
    ...(write
      ? ([{
          title: t.actions, key: 'actions', width: 170,
          render: (_: unknown, r: ReconsiderationRow) => {
            const what = r.caseNo ?? r.applicant;
            if (r.status === 'received') return [act(t.accept, what, { kind: 'accept', id: r.id, title: what }), act(t.withdraw, what, { kind: 'withdrawReconsideration', id: r.id, title: what })];
            if (r.status === 'accepted') {
              return [
                act(t.decide, what, { kind: 'decide', id: r.id, title: what }),
                ...(r.extensionDays ? [] : [act(t.extend, what, { kind: 'extend', id: r.id, title: what })]),
                act(t.withdraw, what, { kind: 'withdrawReconsideration', id: r.id, title: what }),
              ];
            }
            return null;
          },
        }] as Columns<ReconsiderationRow>)
      : []),
  ];

  const medColumns: Columns<MediationRow> = [
    { title: t.received, dataIndex: 'receivedOn', width: 104, render: (v: string) => formatDate(v) },
    { title: t.caseNo, dataIndex: 'caseNo', width: 150, render: (v: string | null) => v ?? ct.none, responsive: ['xl'] },
    { title: t.parties, dataIndex: 'partyNames' },
    { title: t.disputeType, dataIndex: 'disputeTypeLabel', width: 110 },
    { title: t.amount, dataIndex: 'amount', width: 120, align: 'right', render: (v: number | null) => (v === null ? ct.none : t.yuan(v)), responsive: ['lg'] },
    { title: t.mediator, dataIndex: 'mediatorName', width: 90, responsive: ['lg'] },
    { title: t.unit, dataIndex: 'orgUnitName', width: 130, ellipsis: true, responsive: ['xl'] },
    { title: t.status, dataIndex: 'statusLabel', width: 90 },
    { title: t.due, key: 'due', width: 190, render: (_: unknown, r) => <DueCell {...r} /> },
    { title: t.outcome, dataIndex: 'outcomeLabel', width: 100, render: (v: string | null) => v ?? ct.none },
    ...(write
      ? ([{
          title: t.actions, key: 'actions', width: 110,
          render: (_: unknown, r: MediationRow) => {
            const what = r.caseNo ?? r.partyNames;
            return r.status === 'mediating'
              ? [act(t.close, what, { kind: 'close', id: r.id, title: what }), act(t.withdraw, what, { kind: 'withdrawMediation', id: r.id, title: what })]
              : null;
          },
        }] as Columns<MediationRow>)
      : []),
  ];

  const defs: FilterDef[] = [
    { kind: 'select', name: 'status', label: t.status, width: 150, options: labelOptions(tab === 'mediation' ? MEDIATION_STATUSES : RECONSIDERATION_STATUSES) },
    { kind: 'check', name: 'overdue', label: t.overdueOnly },
    { kind: 'unit', name: 'orgUnitId', label: t.unit, width: 220 },
    { kind: 'dates', from: 'from', to: 'to', label: t.received },
  ];
  const filterBar = (
    <FilterBar defs={defs} filters={filters} onChange={setFilters} onReset={() => setFilters({ status: undefined, overdue: undefined, orgUnitId: undefined, from: undefined, to: undefined })} />
  );

  return (
    <>
      <PageHeader
        subTitle={t.subTitle}
        extra={
          write ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAction({ kind: tab === 'mediation' ? 'newMediation' : 'newReconsideration', id: '', title: '' })}>
              {tab === 'mediation' ? t.addMediation : t.addReconsideration}
            </Button>
          ) : null
        }
      />
      <div className="stack">
        <Row gutter={[16, 16]} data-testid="case-overdue">
          <Col xs={12} lg={6}>
            <Figure title={t.overdueReconsideration} value={overdue.data?.reconsideration ?? '—'} onClick={() => setFilters({ tab: undefined, overdue: '1', status: undefined })} />
          </Col>
          <Col xs={12} lg={6}>
            <Figure title={t.overdueMediation} value={overdue.data?.mediation ?? '—'} onClick={() => setFilters({ tab: 'mediation', overdue: '1', status: undefined })} />
          </Col>
        </Row>
        <section className="panel">
          <Tabs
            destroyOnHidden
            activeKey={tab}
            aria-label={t.tabs}
            onChange={(k) => setFilters({ tab: k === 'mediation' ? 'mediation' : undefined, status: undefined })}
            items={[
              {
                key: 'reconsideration',
                label: t.reconsideration,
                children: (
                  <div className="stack">
                    <p className="text-secondary" style={{ margin: 0 }}>{t.rules}</p>
                    {filterBar}
                    <DataTable<ReconsiderationRow>
                      caption={t.reconsiderationTable}
                      minWidth={1100}
                      {...recon.tableProps}
                      sort={undefined}
                      onSort={undefined}
                      rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
                      columns={reconColumns}
                      expandable={{
                        label: t.expand,
                        expandedRowRender: (r) => (
                          <div style={{ whiteSpace: 'pre-wrap' }}>
                            <p style={{ marginTop: 0 }}><strong>{t.act}：</strong>{r.act}</p>
                            {r.request ? <p><strong>{t.request}：</strong>{r.request}</p> : null}
                            <p>
                              <strong>{t.acceptDue}：</strong>{formatDate(r.acceptDue)}
                              {r.decisionDue ? <>　<strong>{t.decisionDue}：</strong>{formatDate(r.decisionDue)}</> : null}
                            </p>
                            {r.notAcceptedReason ? <p><strong>{t.notAcceptedReason}：</strong>{r.notAcceptedReason}</p> : null}
                            {r.extensionReason ? <p><strong>{t.extensionReason}：</strong>{r.extensionReason}</p> : null}
                            {r.note ? <p style={{ marginBottom: 0 }}><strong>{t.note}：</strong>{r.note}</p> : null}
                          </div>
                        ),
                      }}
                    />
                    <Pager {...recon.pager} />
                  </div>
                ),
              },
              {
                key: 'mediation',
                label: t.mediation,
                children: (
                  <div className="stack">
                    <p className="text-secondary" style={{ margin: 0 }}>{t.rules}</p>
                    {filterBar}
                    <DataTable<MediationRow>
                      caption={t.mediationTable}
                      minWidth={1100}
                      {...med.tableProps}
                      sort={undefined}
                      onSort={undefined}
                      rowClassName={(r) => (r.overdue ? 'row-overdue' : '')}
                      columns={medColumns}
                      expandable={{
                        label: t.expand,
                        expandedRowRender: (r) => (
                          <div style={{ whiteSpace: 'pre-wrap' }}>
                            <p style={{ marginTop: 0 }}><strong>{t.summary}：</strong>{r.summary}</p>
                            <p><strong>{t.parties}：</strong>{r.parties.map((p) => (p.code ? `${p.name}（${p.code}）` : p.name)).join('；')}</p>
                            <p><strong>{t.mediationDue}：</strong>{formatDate(r.deadline)}</p>
                            {r.note ? <p style={{ marginBottom: 0 }}><strong>{t.note}：</strong>{r.note}</p> : null}
                          </div>
                        ),
                      }}
                    />
                    <Pager {...med.pager} />
                  </div>
                ),
              },
            ]}
          />
        </section>
      </div>
      <OnDemand open={Boolean(action)}>
        <CaseForm
          key={action ? `${action.kind}-${action.id}` : 'none'}
          action={action}
          onClose={() => setAction(null)}
          onSaved={() => {
            setAction(null);
            void refresh();
          }}
        />
      </OnDemand>
    </>
  );
}
