// 巡回指导's forms, loaded when first opened: a visit (which party organisation, when, who went, what was
// found, what must be put right by when) and its correction, and 整改完成 (when, with what result).
// Field names are the API's, so a refusal naming a field (followUpDue, doneOn…) lands on it.
import { DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { dayjs } from '../../components/dayjs.js';
import { apiDate, atLeast, atMost, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { PartyOrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { common, study as st } from '../../i18n/index.js';
import { VISITS_KEY, type Visit } from './shared.js';

const f = st.visitForm;
const notAfterToday = (v: Dayjs) => v.isAfter(today(), 'day');

interface VisitValues {
  partyOrgId: string;
  visitedOn: Dayjs;
  team: string;
  findings: string;
  followUp?: string;
  followUpDue?: Dayjs | null;
}

/** A new visit (visit null) or the correction of one (its party organisation stays). */
export function VisitFormDrawer({ open, campaignId, visit, onClose, onSaved }: {
  open: boolean;
  campaignId: string;
  visit: Visit | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  return (
    <FormDrawer<VisitValues, { id: string }>
      name="study-visit"
      open={open}
      title={visit ? `${f.editTitle}：${visit.partyOrgName}` : f.createTitle}
      width={Math.min(640, window.innerWidth)}
      onClose={onClose}
      savedMessage={visit ? common.saved : f.created}
      initialValues={
        visit
          ? {
              partyOrgId: visit.partyOrgId,
              visitedOn: dayjs(visit.visitedOn),
              team: visit.team,
              findings: visit.findings,
              followUp: visit.followUp ?? '',
              followUpDue: visit.followUpDue ? dayjs(visit.followUpDue) : null,
            }
          : { visitedOn: today() }
      }
      onSubmit={(v) => {
        const body = {
          visitedOn: apiDate(v.visitedOn),
          team: v.team.trim(),
          findings: v.findings.trim(),
          followUp: v.followUp?.trim() || null,
          followUpDue: apiDate(v.followUpDue),
        };
        return visit
          ? api.patch<{ id: string }>(`${VISITS_KEY}/${visit.id}`, body)
          : api.post<{ id: string }>(VISITS_KEY, { ...body, campaignId, partyOrgId: v.partyOrgId });
      }}
      onSaved={onSaved}
    >
      <Form.Item name="partyOrgId" label={f.partyOrg} rules={[{ required: true, message: f.partyOrgRequired }]}>
        <PartyOrgTreeSelect disabled={Boolean(visit)} />
      </Form.Item>
      <Form.Item name="visitedOn" label={f.visitedOn} rules={[{ required: true, message: f.visitedOnRequired }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={notAfterToday} />
      </Form.Item>
      <Form.Item name="team" label={f.team} rules={[{ required: true, whitespace: true, message: f.teamRequired }, atLeast(2, f.teamMin), atMost(200)]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        name="findings"
        label={f.findings}
        rules={[{ required: true, whitespace: true, message: f.findingsRequired }, atLeast(5, f.findingsMin), atMost(5000)]}
      >
        <Input.TextArea rows={5} showCount maxLength={5000} />
      </Form.Item>
      <Form.Item name="followUp" label={f.followUp} extra={f.followUpHelp} rules={[atMost(2000)]}>
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
      <Form.Item
        name="followUpDue"
        label={f.followUpDue}
        dependencies={['followUp', 'visitedOn']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_, v?: Dayjs | null) => {
              if (!v) return;
              if (!String(getFieldValue('followUp') ?? '').trim()) throw new Error(f.dueNeedsFollowUp);
              const on = getFieldValue('visitedOn') as Dayjs | null | undefined;
              if (on && v.isBefore(on, 'day')) throw new Error(f.dueBeforeVisit);
            },
          }),
        ]}
      >
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormDrawer>
  );
}

/** 整改完成: the day it was put right (between the visit and today) and how. */
export function FollowUpDoneModal({ open, visit, onClose, onSaved }: { open: boolean; visit: Visit; onClose: () => void; onSaved: () => void }) {
  const d = st.doneForm;
  return (
    <FormDrawer<{ doneOn: Dayjs; result: string }>
      as="modal"
      name="study-follow-up-done"
      width={560}
      open={open}
      title={`${d.title}：${visit.partyOrgName}`}
      onClose={onClose}
      savedMessage={d.saved}
      initialValues={{ doneOn: today() }}
      onSubmit={(v) => api.post(`${VISITS_KEY}/${visit.id}/follow-up-done`, { doneOn: apiDate(v.doneOn), result: v.result.trim() })}
      onSaved={onSaved}
    >
      {visit.followUp ? (
        <p className="notice info">
          {st.supervision.followUp}：{visit.followUp}
        </p>
      ) : null}
      <Form.Item name="doneOn" label={d.doneOn} rules={[{ required: true, message: d.doneOnRequired }]}>
        <DatePicker
          style={{ width: '100%' }}
          disabledDate={(v) => v.isAfter(today(), 'day') || v.isBefore(dayjs(visit.visitedOn), 'day')}
        />
      </Form.Item>
      <Form.Item name="result" label={d.result} rules={[{ required: true, whitespace: true, message: d.resultRequired }, atLeast(2, d.resultMin), atMost(2000)]}>
        <Input.TextArea rows={4} showCount maxLength={2000} />
      </Form.Item>
    </FormDrawer>
  );
}
