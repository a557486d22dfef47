// 记录选树典型, loaded when first opened: a party organisation or a person, the title conferred, by whom,
// when and for what; a correction changes the title, conferrer, date and deeds (who stays). Field names
// are the API's, so a refusal naming a field lands on it.
import { Col, DatePicker, Form, Input, Radio, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { dayjs } from '../../components/dayjs.js';
import { apiDate, atLeast, atMost, labelOptions, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { PartyOrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { common, study as st } from '../../i18n/index.js';
import { COMMENDATION_KINDS, type CommendationKind } from '../../../../shared/schemas/study-labels.js';
import { COMMENDATIONS_KEY, type Commendation } from './shared.js';

const f = st.commendationForm;

interface Values {
  kind: CommendationKind;
  partyOrgId?: string;
  personId?: PersonOption;
  title: string;
  conferredBy: string;
  conferredOn: Dayjs;
  reason: string;
  campaignId?: string | null;
}

export default function CommendationFormDrawer({ open, commendation, campaigns, onClose, onSaved }: {
  open: boolean;
  /** null: a new one. */
  commendation: Commendation | null;
  campaigns: readonly { id: string; name: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const c = commendation;
  return (
    <FormDrawer<Values, { id: string }>
      name="study-commendation"
      open={open}
      title={c ? f.editTitle : f.createTitle}
      width={Math.min(640, window.innerWidth)}
      onClose={onClose}
      savedMessage={c ? common.saved : f.created}
      initialValues={
        c
          ? { kind: c.kind, title: c.title, conferredBy: c.conferredBy, conferredOn: dayjs(c.conferredOn), reason: c.reason }
          : { kind: 'party_org', conferredOn: today() }
      }
      onSubmit={(v) => {
        const body = { title: v.title.trim(), conferredBy: v.conferredBy.trim(), conferredOn: apiDate(v.conferredOn), reason: v.reason.trim() };
        if (c) return api.patch<{ id: string }>(`${COMMENDATIONS_KEY}/${c.id}`, body);
        return api.post<{ id: string }>(COMMENDATIONS_KEY, {
          ...body,
          kind: v.kind,
          partyOrgId: v.kind === 'party_org' ? v.partyOrgId : null,
          personId: v.kind === 'person' ? v.personId?.value : null,
          campaignId: v.campaignId || null,
        });
      }}
      onSaved={onSaved}
    >
      {c ? (
        <p className="notice info">
          {c.kindLabel}：{c.name}
        </p>
      ) : (
        <>
          <Form.Item name="kind" label={f.kind} rules={[{ required: true }]}>
            <Radio.Group options={labelOptions(COMMENDATION_KINDS)} optionType="button" />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
            {({ getFieldValue }) =>
              getFieldValue('kind') === 'person' ? (
                <Form.Item name="personId" label={f.person} rules={[{ required: true, message: f.personRequired }]}>
                  <PersonSelect placeholder={st.common.personPlaceholder} />
                </Form.Item>
              ) : (
                <Form.Item name="partyOrgId" label={f.partyOrg} rules={[{ required: true, message: f.partyOrgRequired }]}>
                  <PartyOrgTreeSelect />
                </Form.Item>
              )
            }
          </Form.Item>
        </>
      )}
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="title" label={f.title} rules={[{ required: true, whitespace: true, message: f.titleRequired }, atLeast(2, f.titleMin), atMost(50)]}>
            <Input maxLength={50} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="conferredOn" label={f.conferredOn} rules={[{ required: true, message: f.conferredOnRequired }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="conferredBy"
        label={f.conferredBy}
        rules={[{ required: true, whitespace: true, message: f.conferredByRequired }, atLeast(2, f.conferredByMin), atMost(100)]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="reason" label={f.reason} rules={[{ required: true, whitespace: true, message: f.reasonRequired }, atLeast(5, f.reasonMin), atMost(5000)]}>
        <Input.TextArea rows={5} showCount maxLength={5000} />
      </Form.Item>
      {c ? null : (
        <Form.Item name="campaignId" label={f.campaign} extra={f.campaignHelp}>
          <Select allowClear options={campaigns.map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
      )}
    </FormDrawer>
  );
}
