// 案件受理's forms, loaded when first opened: 登记复议申请, 受理审查, 延期, 复议决定, 撤回, 登记调解案件 and
// 结案, one component choosing by the action. Field names are the API's, so a refusal lands on its field.
import { Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { apiDate, atLeast, atMost, labelOptions, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { cases as ct } from '../../i18n/index.js';
import { DISPUTE_TYPES, MEDIATION_DEFAULT_DAYS, MEDIATION_OUTCOMES, RECONSIDERATION_OUTCOMES } from '../../../../shared/schemas/cases-labels.js';
import { MEDIATIONS_KEY, RECONSIDERATIONS_KEY, type CaseAction } from './shared.js';

const f = ct.form;
const req = { required: true, message: f.required };
const notFuture = (d: Dayjs) => d.isAfter(today(), 'day');
const dateItem = (name: string, label: string) => (
  <Form.Item name={name} label={label} rules={[req]}>
    <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
  </Form.Item>
);
const noteItem = (name = 'note', label = f.note) => (
  <Form.Item name={name} label={label} rules={[atMost(2000)]}>
    <Input.TextArea rows={3} maxLength={2000} showCount />
  </Form.Item>
);
const text = (v: unknown) => (typeof v === 'string' ? v.trim() || null : null);

type Values = Record<string, any>;

export function CaseForm({ action, onClose, onSaved }: { action: CaseAction | null; onClose: () => void; onSaved: () => void }) {
  const open = Boolean(action);
  const kind = action?.kind;
  const on = (what: string) => (action?.title ? `${what}：${action.title}` : what);
  const R = `${RECONSIDERATIONS_KEY}/${action?.id}`;
  const M = `${MEDIATIONS_KEY}/${action?.id}`;
  const common = { open, onClose, onSaved, savedMessage: f.saved };

  if (kind === 'newReconsideration') {
    return (
      <FormDrawer<Values> {...common} name="reconsideration" title={f.reconsiderationTitle} width={Math.min(680, window.innerWidth)} initialValues={{ receivedOn: today() }}
        onSubmit={(v) => api.post(RECONSIDERATIONS_KEY, {
          caseNo: text(v.caseNo), applicant: v.applicant.trim(), respondent: v.respondent.trim(), act: v.act.trim(), request: text(v.request),
          receivedOn: apiDate(v.receivedOn), orgUnitId: v.orgUnitId,
        })}
      >
        <Row gutter={12}>
          <Col xs={24} md={12}><Form.Item name="caseNo" label={f.caseNo} rules={[atMost(50)]}><Input maxLength={50} /></Form.Item></Col>
          <Col xs={24} md={12}>{dateItem('receivedOn', f.receivedOn)}</Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} md={12}><Form.Item name="applicant" label={f.applicant} rules={[req, atLeast(2, f.required), atMost(100)]}><Input maxLength={100} /></Form.Item></Col>
          <Col xs={24} md={12}><Form.Item name="respondent" label={f.respondent} rules={[req, atLeast(2, f.required), atMost(100)]}><Input maxLength={100} /></Form.Item></Col>
        </Row>
        <Form.Item name="act" label={f.act} rules={[req, atLeast(4, f.required), atMost(1000)]}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        {noteItem('request', f.request)}
        <Form.Item name="orgUnitId" label={f.unit} rules={[req]}><OrgTreeSelect onlyInScope /></Form.Item>
      </FormDrawer>
    );
  }
  if (kind === 'accept') {
    return (
      <FormDrawer<Values> {...common} as="modal" width={560} name="case-accept" title={on(f.acceptTitle)} initialValues={{ accepted: true, decidedOn: today() }}
        onSubmit={(v) => api.post(`${R}/acceptance`, { accepted: v.accepted, decidedOn: apiDate(v.decidedOn), reason: text(v.reason) })}
      >
        <Form.Item name="accepted" label={f.accepted} rules={[req]}>
          <Radio.Group options={[{ value: true, label: f.acceptYes }, { value: false, label: f.acceptNo }]} />
        </Form.Item>
        {dateItem('decidedOn', f.decidedOn)}
        <Form.Item noStyle shouldUpdate={(a, b) => a.accepted !== b.accepted}>
          {({ getFieldValue }) =>
            getFieldValue('accepted') === false ? (
              <Form.Item name="reason" label={f.reason} rules={[{ required: true, whitespace: true, message: f.reasonRequired }, atMost(1000)]}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
      </FormDrawer>
    );
  }
  if (kind === 'extend') {
    return (
      <FormDrawer<Values> {...common} as="modal" width={520} name="case-extend" title={on(f.extendTitle)} initialValues={{ days: 30 }}
        onSubmit={(v) => api.post(`${R}/extension`, { days: v.days, reason: v.reason.trim() })}
      >
        <Form.Item name="days" label={f.days} extra={f.extendHelp} rules={[req]}><InputNumber min={1} max={30} precision={0} style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="reason" label={f.extendReason} rules={[req, atLeast(5, f.required), atMost(500)]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
      </FormDrawer>
    );
  }
  if (kind === 'decide') {
    return (
      <FormDrawer<Values> {...common} as="modal" width={560} name="case-decide" title={on(f.decisionTitle)} initialValues={{ decidedOn: today() }}
        onSubmit={(v) => api.post(`${R}/decision`, { outcome: v.outcome, decidedOn: apiDate(v.decidedOn), note: text(v.note) })}
      >
        <Form.Item name="outcome" label={f.outcome} rules={[req]}><Select options={labelOptions(RECONSIDERATION_OUTCOMES)} /></Form.Item>
        {dateItem('decidedOn', f.decisionOn)}
        {noteItem()}
      </FormDrawer>
    );
  }
  if (kind === 'withdrawReconsideration' || kind === 'withdrawMediation') {
    return (
      <FormDrawer<Values> {...common} as="modal" width={520} name="case-withdraw" title={on(f.withdrawTitle)} initialValues={{ withdrawnOn: today() }}
        onSubmit={(v) => api.post(`${kind === 'withdrawMediation' ? M : R}/withdrawal`, { withdrawnOn: apiDate(v.withdrawnOn), note: text(v.note) })}
      >
        {dateItem('withdrawnOn', f.withdrawnOn)}
        {noteItem()}
      </FormDrawer>
    );
  }
  if (kind === 'close') {
    return (
      <FormDrawer<Values> {...common} as="modal" width={560} name="case-close" title={on(f.closeTitle)} initialValues={{ closedOn: today() }}
        onSubmit={(v) => api.post(`${M}/close`, { outcome: v.outcome, closedOn: apiDate(v.closedOn), note: text(v.note) })}
      >
        <Form.Item name="outcome" label={f.mediationOutcome} rules={[req]}><Select options={labelOptions(MEDIATION_OUTCOMES)} /></Form.Item>
        {dateItem('closedOn', f.closedOn)}
        {noteItem()}
      </FormDrawer>
    );
  }
  // newMediation
  return (
    <FormDrawer<Values> {...common} name="mediation" title={f.mediationTitle} width={Math.min(720, window.innerWidth)}
      initialValues={{ receivedOn: today(), periodDays: MEDIATION_DEFAULT_DAYS, parties: [{}, {}] }}
      onSubmit={(v) => api.post(MEDIATIONS_KEY, {
        caseNo: text(v.caseNo), parties: (v.parties as { name?: string; code?: string }[]).map((p) => ({ name: (p.name ?? '').trim(), code: text(p.code) })),
        disputeType: v.disputeType, amount: v.amount ?? null, summary: v.summary.trim(), mediatorPersonId: (v.mediatorPersonId as PersonOption).value,
        orgUnitId: v.orgUnitId, receivedOn: apiDate(v.receivedOn), periodDays: v.periodDays,
      })}
    >
      <Row gutter={12}>
        <Col xs={24} md={12}><Form.Item name="caseNo" label={f.caseNo} rules={[atMost(50)]}><Input maxLength={50} /></Form.Item></Col>
        <Col xs={24} md={12}>{dateItem('receivedOn', f.mediationReceivedOn)}</Col>
      </Row>
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend style={{ fontSize: 14, marginBottom: 8 }}>{f.parties}</legend>
        <Form.List name="parties">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline" wrap style={{ display: 'flex' }}>
                  <Form.Item name={[field.name, 'name']} label={`${f.partyName} ${i + 1}`} rules={[req, atMost(100)]}><Input maxLength={100} style={{ width: 260 }} /></Form.Item>
                  <Form.Item name={[field.name, 'code']} label={f.partyCode} rules={[atMost(18)]}><Input maxLength={18} style={{ width: 200 }} /></Form.Item>
                  {fields.length > 2 ? <Button type="text" icon={<MinusCircleOutlined />} aria-label={f.removeParty} onClick={() => remove(field.name)} /> : null}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 10}>{f.addParty}</Button>
            </>
          )}
        </Form.List>
      </fieldset>
      <Row gutter={12} style={{ marginTop: 16 }}>
        <Col xs={24} md={12}><Form.Item name="disputeType" label={f.disputeType} rules={[req]}><Select options={labelOptions(DISPUTE_TYPES)} /></Form.Item></Col>
        <Col xs={24} md={12}><Form.Item name="amount" label={f.amount}><InputNumber min={0} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
      </Row>
      <Form.Item name="summary" label={f.summary} rules={[req, atLeast(4, f.required), atMost(2000)]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}><Form.Item name="mediatorPersonId" label={f.mediator} rules={[req]}><PersonSelect placeholder={f.personPlaceholder} /></Form.Item></Col>
        <Col xs={24} md={12}><Form.Item name="periodDays" label={f.periodDays} rules={[req]}><InputNumber min={1} max={180} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
      </Row>
      <Form.Item name="orgUnitId" label={f.unit} rules={[req]}><OrgTreeSelect onlyInScope /></Form.Item>
    </FormDrawer>
  );
}
