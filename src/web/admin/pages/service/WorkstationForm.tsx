// 新增/修改法律服务工作站 (loaded when first opened).
import { Col, DatePicker, Form, Input, Row } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { dayjs } from '../../components/dayjs.js';
import { apiDate, atLeast, atMost } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { service as st } from '../../i18n/index.js';
import { WORKSTATIONS_KEY, type WorkstationRow } from './shared.js';

interface Values {
  name: string;
  orgUnitId: string;
  address?: string;
  contact?: string;
  staffOnDuty?: string;
  openedOn?: Dayjs | null;
}

export default function WorkstationForm({ workstation, open, onClose, onSaved }: { workstation: WorkstationRow | null; open: boolean; onClose: () => void; onSaved: () => void }) {
  const f = st.workstationForm;
  const t = st.workstations;
  const w = workstation;
  return (
    <FormDrawer<Values>
      name="service-workstation"
      open={open}
      title={w ? f.editTitle : f.title}
      width={Math.min(640, window.innerWidth)}
      onClose={onClose}
      savedMessage={w ? f.updated : f.created}
      initialValues={
        w ? { name: w.name, orgUnitId: w.orgUnitId, address: w.address ?? undefined, contact: w.contact ?? undefined, staffOnDuty: w.staffOnDuty ?? undefined, openedOn: w.openedOn ? dayjs(w.openedOn) : null } : {}
      }
      onSubmit={(v) => {
        const body = {
          name: v.name.trim(),
          orgUnitId: v.orgUnitId,
          address: v.address?.trim() || null,
          contact: v.contact?.trim() || null,
          staffOnDuty: v.staffOnDuty?.trim() || null,
          openedOn: apiDate(v.openedOn),
        };
        return w ? api.patch(`${WORKSTATIONS_KEY}/${w.id}`, body) : api.post(WORKSTATIONS_KEY, body);
      }}
      onSaved={onSaved}
    >
      <Form.Item name="name" label={t.name} rules={[{ required: true, whitespace: true, message: f.nameRequired }, atLeast(2, st.measureForm.titleMin), atMost(60)]}>
        <Input />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="orgUnitId" label={t.unit} rules={[{ required: true, message: f.unitRequired }]}>
            <OrgTreeSelect onlyInScope />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="openedOn" label={t.openedOn}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t.address} rules={[atMost(200)]}>
        <Input />
      </Form.Item>
      <Form.Item name="contact" label={t.contact} rules={[atMost(60)]}>
        <Input />
      </Form.Item>
      <Form.Item name="staffOnDuty" label={t.staff} rules={[atMost(500)]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </FormDrawer>
  );
}
