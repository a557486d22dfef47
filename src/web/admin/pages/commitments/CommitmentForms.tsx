// 证明事项告知承诺制's forms, loaded when first opened: 登记承诺 (with the commitment text as it will be
// signed), 登记核查结果, 新增/修改证明事项 and 提前移出失信名单. Field names are the API's, so a refusal
// naming a field lands on it.
import { Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { dayjs } from '../../components/dayjs.js';
import { apiDate, atLeast, atMost, labelOptions, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { commitments as ct } from '../../i18n/index.js';
import { APPLICANT_KINDS, CERT_DEPARTMENTS, VERIFY_METHODS } from '../../../../shared/schemas/commitments-labels.js';
import { COMMITMENTS_KEY, DISHONESTY_KEY, ITEMS_KEY, type CertItem, type CommitmentRow, type DishonestyRow, type Registered } from './shared.js';

const f = ct.form;
const fill = (template: string, v: Record<string, string>) => template.replace(/\{(applicant|item|certificate|business)\}/g, (_m, k: string) => v[k] || `【${k}】`);

interface CommitmentValues {
  itemId: string;
  applicantKind: 'person' | 'org';
  applicantName: string;
  applicantIdNo: string;
  businessRef: string;
  orgUnitId: string;
  handledOn: Dayjs;
}

export function CommitmentDrawer({ open, items, onClose, onSaved }: {
  open: boolean;
  items: CertItem[];
  onClose: () => void;
  onSaved: (r: Registered, applicantName: string) => void;
}) {
  const usable = items.filter((i) => i.enabled && i.commitmentAllowed);
  return (
    <FormDrawer<CommitmentValues, Registered>
      name="commitment"
      open={open}
      title={f.title}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      savedMessage={null}
      initialValues={{ applicantKind: 'person', handledOn: today() }}
      onSubmit={(v) =>
        api.post<Registered>(COMMITMENTS_KEY, {
          itemId: v.itemId, applicantKind: v.applicantKind, applicantName: v.applicantName.trim(), applicantIdNo: v.applicantIdNo.trim(),
          businessRef: v.businessRef.trim(), orgUnitId: v.orgUnitId, handledOn: apiDate(v.handledOn),
        })
      }
      onSaved={(r, v) => onSaved(r, v.applicantName.trim())}
    >
      <Form.Item name="itemId" label={f.item} rules={[{ required: true, message: f.itemRequired }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={usable.map((i) => ({ value: i.id, label: `${i.name}（${i.certificate}，抽查 ${i.samplingRate}%）` }))} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={10}>
          <Form.Item name="applicantKind" label={f.applicantKind} rules={[{ required: true }]}>
            <Radio.Group options={labelOptions(APPLICANT_KINDS)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item name="applicantName" label={f.applicantName} rules={[{ required: true, whitespace: true, message: f.applicantNameRequired }, atMost(100)]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="applicantIdNo" label={f.idNo} extra={f.idNoHelp} rules={[{ required: true, whitespace: true, message: f.idNoRequired }, atMost(18)]}>
        <Input maxLength={18} autoComplete="off" />
      </Form.Item>
      <Form.Item name="businessRef" label={f.business} extra={f.businessHelp} rules={[{ required: true, whitespace: true, message: f.businessRequired }, atMost(200)]}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={14}>
          <Form.Item name="orgUnitId" label={f.unit} rules={[{ required: true, message: f.unitRequired }]}>
            <OrgTreeSelect onlyInScope />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="handledOn" label={f.handledOn} rules={[{ required: true, message: f.handledOnRequired }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(today(), 'day')} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item noStyle shouldUpdate>
        {({ getFieldValue }) => {
          const item = items.find((i) => i.id === getFieldValue('itemId'));
          return item ? (
            <div className="panel" style={{ background: '#fafafa' }}>
              <p style={{ marginTop: 0 }}>
                <strong>{f.preview}</strong>
              </p>
              <p style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }} data-testid="commitment-preview">
                {fill(item.template, { applicant: getFieldValue('applicantName') ?? '', item: item.name, certificate: item.certificate, business: getFieldValue('businessRef') ?? '' })}
              </p>
            </div>
          ) : null;
        }}
      </Form.Item>
    </FormDrawer>
  );
}

interface VerifyValues {
  outcome: 'true' | 'false';
  verifiedOn: Dayjs;
  method: string;
  note?: string;
}

export function VerificationDrawer({ open, commitment, onClose, onSaved }: { open: boolean; commitment: CommitmentRow | null; onClose: () => void; onSaved: () => void }) {
  return (
    <FormDrawer<VerifyValues>
      as="modal"
      name="verification"
      width={560}
      open={open}
      title={commitment ? `${f.verifyTitle}：${commitment.applicantName}（${commitment.itemName}）` : f.verifyTitle}
      onClose={onClose}
      savedMessage={f.verified}
      initialValues={{ verifiedOn: today() }}
      onSubmit={(v) =>
        api.post(`${COMMITMENTS_KEY}/${commitment!.id}/verification`, { outcome: v.outcome, verifiedOn: apiDate(v.verifiedOn), method: v.method, note: v.note?.trim() || null })
      }
      onSaved={onSaved}
    >
      <Form.Item name="outcome" label={f.outcome} rules={[{ required: true, message: f.outcomeRequired }]}>
        <Radio.Group options={[{ value: 'true', label: f.outcomeTrue }, { value: 'false', label: f.outcomeFalse }]} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="verifiedOn" label={f.verifiedOn} rules={[{ required: true, message: f.verifiedOnRequired }]}>
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(today(), 'day') || Boolean(commitment && d.isBefore(dayjs(commitment.handledOn), 'day'))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="method" label={f.method} rules={[{ required: true, message: f.methodRequired }]}>
            <Select options={labelOptions(VERIFY_METHODS)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={f.note} rules={[atMost(1000)]}>
        <Input.TextArea rows={3} maxLength={1000} showCount />
      </Form.Item>
    </FormDrawer>
  );
}

type ItemValues = Omit<CertItem, 'id' | 'departmentLabel'>;

export function ItemDrawer({ open, item, onClose, onSaved }: { open: boolean; item: CertItem | null; onClose: () => void; onSaved: () => void }) {
  return (
    <FormDrawer<ItemValues>
      name="cert-item"
      open={open}
      title={item ? f.itemEditTitle : f.itemTitle}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      initialValues={item ?? { commitmentAllowed: true, enabled: true, samplingRate: 10, verifyDays: 20, barMonths: 36 }}
      onSubmit={(v) => {
        const body = { ...v, name: v.name.trim(), certificate: v.certificate.trim(), legalBasis: v.legalBasis.trim(), template: v.template.trim() };
        return item ? api.patch(`${ITEMS_KEY}/${item.id}`, body) : api.post(ITEMS_KEY, body);
      }}
      onSaved={onSaved}
    >
      <Row gutter={12}>
        <Col xs={24} md={14}>
          <Form.Item name="name" label={f.name} rules={[{ required: true, whitespace: true, message: f.nameRequired }, atMost(100)]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="department" label={f.department} rules={[{ required: true, message: f.departmentRequired }]}>
            <Select options={labelOptions(CERT_DEPARTMENTS)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="certificate" label={f.certificate} rules={[{ required: true, whitespace: true, message: f.certificateRequired }, atMost(100)]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="legalBasis" label={f.legalBasis} rules={[{ required: true, whitespace: true, message: f.legalBasisRequired }, atMost(500)]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={12} md={6}>
          <Form.Item name="commitmentAllowed" label={f.allowed} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="samplingRate" label={f.rate} extra={f.rateHelp} rules={[{ required: true, message: f.required }]}>
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="verifyDays" label={f.verifyDays} rules={[{ required: true, message: f.required }]}>
            <InputNumber min={1} max={365} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="barMonths" label={f.barMonths} rules={[{ required: true, message: f.required }]}>
            <InputNumber min={1} max={60} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="template" label={f.template} extra={f.templateHelp} rules={[{ required: true, whitespace: true, message: f.templateRequired }, atLeast(20, f.templateRequired), atMost(3000)]}>
        <Input.TextArea rows={5} maxLength={3000} showCount />
      </Form.Item>
      <Form.Item name="enabled" label={f.enabled} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormDrawer>
  );
}

export function LiftModal({ open, entry, onClose, onSaved }: { open: boolean; entry: DishonestyRow | null; onClose: () => void; onSaved: () => void }) {
  return (
    <FormDrawer<{ reason: string }>
      as="modal"
      name="dishonesty-lift"
      width={520}
      open={open}
      title={entry ? `${f.liftTitle}：${entry.applicantName}` : f.liftTitle}
      onClose={onClose}
      savedMessage={f.lifted}
      onSubmit={(v) => api.post(`${DISHONESTY_KEY}/${entry!.id}/lift`, { reason: v.reason.trim() })}
      onSaved={onSaved}
    >
      <Form.Item name="reason" label={f.liftReason} rules={[{ required: true, whitespace: true, message: f.liftReasonRequired }, atLeast(5, f.liftReasonMin), atMost(500)]}>
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
    </FormDrawer>
  );
}
