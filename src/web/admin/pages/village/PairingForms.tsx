// The 1155 forms, loaded when first opened: 新增结对 (a cadre in scope, a village not yet paired, the
// start year; the term is five years), 新增嘎查村, a pairing's detail (this year's progress and the five
// deliverables, each registered with its evidence and files), and 结束结对. Field names are the API's,
// so a refusal naming a field lands on it.
import { useEffect, useState } from 'react';
import { Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Select, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { dayjs } from '../../components/dayjs.js';
import { formatDate } from '../../components/format.js';
import { apiDate, labelOptions, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { village as vt } from '../../i18n/index.js';
import { DELIVERABLE_STATUSES, VILLAGE_KINDS } from '../../../../shared/schemas/village-labels.js';
import { PAIRINGS_KEY, STATE_COLORS, VILLAGES_KEY, type Deliverable, type PairingDetail, type VillageRow } from './shared.js';

const pf = vt.pairingForm;
const d = vt.detail;

export function PairingDrawer({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const villages = useQuery({
    queryKey: [VILLAGES_KEY, 'all'],
    queryFn: () => api.get<{ items: VillageRow[] }>(`${VILLAGES_KEY}?pageSize=200`),
    enabled: open,
  });
  const free = (villages.data?.items ?? []).filter((v) => !v.pairedWith);
  return (
    <FormDrawer<{ cadrePersonId: PersonOption; villageId: string; startYear: number; note?: string }, { id: string }>
      name="pairing"
      open={open}
      title={pf.title}
      width={Math.min(560, window.innerWidth)}
      onClose={onClose}
      savedMessage={pf.created}
      initialValues={{ startYear: today().year() }}
      onSubmit={(v) => api.post(PAIRINGS_KEY, { cadrePersonId: v.cadrePersonId.value, villageId: v.villageId, startYear: v.startYear, note: v.note?.trim() || null })}
      onSaved={onSaved}
    >
      <Form.Item name="cadrePersonId" label={pf.cadre} rules={[{ required: true, message: pf.cadreRequired }]}>
        <PersonSelect placeholder={pf.cadre} />
      </Form.Item>
      <Form.Item name="villageId" label={pf.village} rules={[{ required: true, message: pf.villageRequired }]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          loading={villages.isLoading}
          placeholder={pf.villagePlaceholder}
          options={free.map((v) => ({ value: v.id, label: `${v.name}（${v.countyName}）` }))}
        />
      </Form.Item>
      <Form.Item name="startYear" label={pf.startYear} extra={pf.startYearHelp} rules={[{ required: true, message: pf.startYearRequired }]}>
        <InputNumber min={2021} max={today().year() + 1} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="note" label={pf.note}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormDrawer>
  );
}

export function VillageDrawer({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const f = vt.villageForm;
  return (
    <FormDrawer<{ name: string; countyUnitId: string; officeUnitId?: string | null; kind: string }, { id: string }>
      name="village"
      open={open}
      title={f.title}
      width={Math.min(520, window.innerWidth)}
      onClose={onClose}
      savedMessage={f.created}
      initialValues={{ kind: 'village' }}
      onSubmit={(v) => api.post(VILLAGES_KEY, { name: v.name.trim(), countyUnitId: v.countyUnitId, officeUnitId: v.officeUnitId || null, kind: v.kind })}
      onSaved={onSaved}
    >
      <Form.Item name="name" label={f.name} rules={[{ required: true, min: 2, message: f.nameRequired }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="kind" label={f.kind}>
        <Select options={labelOptions(VILLAGE_KINDS)} />
      </Form.Item>
      <Form.Item name="countyUnitId" label={f.county} rules={[{ required: true, message: f.countyRequired }]}>
        <OrgTreeSelect onlyInScope />
      </Form.Item>
      <Form.Item name="officeUnitId" label={f.office}>
        <OrgTreeSelect onlyInScope allowClear />
      </Form.Item>
    </FormDrawer>
  );
}

function DeliverableModal({ pairingId, item, onClose, onSaved }: { pairingId: string; item: Deliverable | null; onClose: () => void; onSaved: () => void }) {
  const f = vt.deliverableForm;
  const uploads = useUploads(10);
  const { reset } = uploads;
  useEffect(() => {
    if (item) reset();
  }, [item, reset]);
  return (
    <FormDrawer<{ status: string; doneOn?: Dayjs | null; count?: number | null; evidence?: string }>
      name="deliverable"
      as="modal"
      open={Boolean(item)}
      title={item ? f.title(item.label) : ''}
      onClose={onClose}
      savedMessage={f.saved}
      initialValues={item ? { status: item.status, doneOn: item.doneOn ? dayjs(item.doneOn) : null, count: item.count, evidence: item.evidence ?? undefined } : {}}
      onSubmit={(v) =>
        api.put(`${PAIRINGS_KEY}/${pairingId}/deliverables/${item!.kind}`, {
          status: v.status, doneOn: apiDate(v.doneOn), count: v.count ?? null, evidence: v.evidence?.trim() || null, fileIds: uploads.ids,
        })
      }
      onSaved={onSaved}
    >
      <Form.Item name="status" label={f.status}>
        <Select options={labelOptions(DELIVERABLE_STATUSES)} />
      </Form.Item>
      <Form.Item name="doneOn" label={f.doneOn}>
        <DatePicker disabledDate={(v) => v.isAfter(today(), 'day')} />
      </Form.Item>
      {item?.kind === 'dispute_resolved' ? (
        <Form.Item name="count" label={f.count}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
      ) : null}
      <Form.Item name="evidence" label={f.evidence}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      <Form.Item label={f.files} htmlFor="deliverable-files">
        <input id="deliverable-files" type="file" multiple onChange={(e) => uploads.add(e.target)} />
      </Form.Item>
      <UploadList uploads={uploads} label={f.files} />
      {item?.files.length ? (
        <p>
          {f.existing}：{item.files.map((x) => x.name).join('、')}
        </p>
      ) : null}
    </FormDrawer>
  );
}

export function PairingDetailDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const can = useCan();
  const navigate = useNavigate();
  const [editing, setEditing] = useState<Deliverable | null>(null);
  const [ending, setEnding] = useState(false);
  const q = useQuery({ queryKey: [PAIRINGS_KEY, id], queryFn: () => api.get<PairingDetail>(`${PAIRINGS_KEY}/${id}`), enabled: Boolean(id) });
  const p = q.data;
  const columns: Columns<Deliverable> = [
    { title: d.kind, dataIndex: 'label', width: 200 },
    { title: d.status, dataIndex: 'statusLabel', width: 90, render: (s: string, r) => <Tag color={r.status === 'done' ? 'success' : r.status === 'in_progress' ? 'processing' : 'default'}>{s}</Tag> },
    { title: d.doneOn, dataIndex: 'doneOn', width: 104, render: (v: string | null) => (v ? formatDate(v) : vt.common.none) },
    { title: d.evidence, dataIndex: 'evidence', ellipsis: true, render: (v: string | null, r) => `${v ?? vt.common.none}${r.count ? `（${r.count} 件）` : ''}${r.files.length ? ` · ${r.files.length} 个附件` : ''}` },
    ...(can('village:write') && p?.status === 'active'
      ? ([{ title: d.edit, key: 'edit', width: 64, render: (_: unknown, r: Deliverable) => (
          <button type="button" className="link-action" aria-label={d.editOf(r.label)} onClick={() => setEditing(r)}>{d.edit}</button>
        ) }] as Columns<Deliverable>)
      : []),
  ];
  return (
    <Drawer open={Boolean(id)} onClose={onClose} size={Math.min(760, window.innerWidth)} title={p ? d.title(p.cadreName, p.villageName) : ''} destroyOnHidden>
      {p ? (
        <div className="stack">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={vt.pairings.unit}>{p.unitName}</Descriptions.Item>
            <Descriptions.Item label={vt.pairings.village}>{`${p.villageName}（${p.countyName}）`}</Descriptions.Item>
            <Descriptions.Item label={vt.pairings.term}>{vt.pairings.termText(p.startYear, p.endYear)}</Descriptions.Item>
            <Descriptions.Item label={vt.pairings.status}>{p.statusLabel}</Descriptions.Item>
            <Descriptions.Item label={d.thisYear(p.thisYear.year)}>
              {d.services} {p.thisYear.services}/5 · {d.visits} {p.thisYear.visits}/5 · <Tag color={STATE_COLORS[p.thisYear.state]}>{p.thisYear.stateLabel}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={d.projected}>{d.projectedText(p.thisYear.projectedServices, p.thisYear.projectedVisits)}</Descriptions.Item>
          </Descriptions>
          <h2 style={{ fontSize: 16, margin: 0 }}>{d.deliverables}</h2>
          <DataTable<Deliverable> size="small" caption={d.deliverablesTable} rowKey="kind" dataSource={p.deliverables} columns={columns} />
          <div style={{ display: 'flex', gap: 8 }}>
            <Button onClick={() => navigate(`/village/records?pairingId=${p.id}`)}>{d.openRecords}</Button>
            {can('village:write') && p.status === 'active' ? (
              <Button danger onClick={() => setEnding(true)}>
                {d.end}
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
      {p ? (
        <FormDrawer<{ reason: string }>
          name="pairing-end"
          as="modal"
          open={ending}
          title={d.end}
          okText={d.end}
          okDanger
          onClose={() => setEnding(false)}
          savedMessage={d.ended}
          onSubmit={(v) => api.post(`${PAIRINGS_KEY}/${p.id}/end`, { reason: v.reason.trim() })}
          onSaved={() => {
            setEnding(false);
            void q.refetch();
            onChanged();
          }}
        >
          <Form.Item name="reason" label={d.endConfirm} rules={[{ required: true, min: 2, message: d.endReasonRequired }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </FormDrawer>
      ) : null}
      {p ? (
        <DeliverableModal
          pairingId={p.id}
          item={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void q.refetch();
            onChanged();
          }}
        />
      ) : null}
    </Drawer>
  );
}
