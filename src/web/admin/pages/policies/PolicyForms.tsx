// 制度文件's forms, loaded when first opened: 发布制度 (title, 文号, category, issuing unit, who must
// acknowledge, the first version), 发布新版本 (effective date, text and/or files, change note) and
// 确认已阅 (the typed full name). Field names are the API's, so a refusal naming a field lands on it.
import { Col, DatePicker, Form, Input, Radio, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { apiDate, atMost, labelOptions as options } from '../../components/formParts.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { UploadList, useUploads, type Uploads } from '../../components/Uploads.js';
import { common, policies as pt } from '../../i18n/index.js';
import { POLICY_AUDIENCES, POLICY_CATEGORIES } from '../../../../shared/schemas/policy-labels.js';
import { POLICIES_KEY } from './shared.js';

const f = pt.form;

interface VersionValues {
  effectiveOn: Dayjs;
  body?: string;
  changeNote?: string;
}

function VersionFields({ uploads, prefix, withNote }: { uploads: Uploads; prefix: string[]; withNote: boolean }) {
  const name = (k: string) => [...prefix, k];
  return (
    <>
      <Form.Item name={name('effectiveOn')} label={f.effectiveOn} rules={[{ required: true, message: f.effectiveOnRequired }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name={name('body')} label={f.body} extra={f.bodyHelp} rules={[atMost(50_000)]}>
        <Input.TextArea rows={8} showCount maxLength={50_000} />
      </Form.Item>
      {withNote ? (
        <Form.Item name={name('changeNote')} label={f.changeNote} rules={[atMost(1000)]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      ) : null}
      <Form.Item label={f.attachments} htmlFor={`policy-files-${prefix.join('-') || 'v'}`}>
        <input id={`policy-files-${prefix.join('-') || 'v'}`} type="file" multiple disabled={uploads.full} onChange={(e) => uploads.add(e.target)} />
        <UploadList uploads={uploads} label={f.attachments} />
      </Form.Item>
    </>
  );
}

const versionBody = (v: VersionValues, uploads: Uploads) => ({
  effectiveOn: apiDate(v.effectiveOn),
  body: v.body?.trim() || null,
  changeNote: v.changeNote?.trim() || null,
  attachmentIds: uploads.ids,
});

interface CreateValues {
  title: string;
  docNo?: string;
  category: string;
  issuingUnitId: string;
  audience: 'issuer' | 'units';
  audienceUnitIds?: string[];
  version: VersionValues;
}

export function PolicyCreateDrawer({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (id: string) => void }) {
  const uploads = useUploads(10);
  return (
    <FormDrawer<CreateValues, { id: string }>
      name="policy"
      open={open}
      title={f.title}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      savedMessage={f.created}
      initialValues={{ audience: 'issuer' }}
      onSubmit={(v) => {
        if (uploads.uploading) return Promise.reject(new Error(common.uploading));
        return api.post<{ id: string }>(POLICIES_KEY, {
          title: v.title.trim(),
          docNo: v.docNo?.trim() || null,
          category: v.category,
          issuingUnitId: v.issuingUnitId,
          audience: v.audience,
          audienceUnitIds: v.audience === 'units' ? (v.audienceUnitIds ?? []) : [],
          version: versionBody(v.version, uploads),
        });
      }}
      onSaved={(r) => {
        uploads.reset();
        onSaved(r.id);
      }}
    >
      <Form.Item name="title" label={f.name} rules={[{ required: true, whitespace: true, message: f.nameRequired }, atMost(100)]}>
        <Input maxLength={100} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="docNo" label={f.docNo} rules={[atMost(60)]}>
            <Input maxLength={60} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="category" label={f.category} rules={[{ required: true, message: f.categoryRequired }]}>
            <Select options={options(POLICY_CATEGORIES)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="issuingUnitId" label={f.issuer} rules={[{ required: true, message: f.issuerRequired }]}>
        <OrgTreeSelect onlyInScope />
      </Form.Item>
      <Form.Item name="audience" label={f.audience}>
        <Radio.Group options={options(POLICY_AUDIENCES)} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.audience !== b.audience}>
        {({ getFieldValue }) =>
          getFieldValue('audience') === 'units' ? (
            <Form.Item name="audienceUnitIds" label={f.audienceUnits} rules={[{ required: true, type: 'array', min: 1, message: f.audienceUnitsRequired }]}>
              <OrgTreeSelect multiple onlyInScope />
            </Form.Item>
          ) : null
        }
      </Form.Item>
      <VersionFields uploads={uploads} prefix={['version']} withNote={false} />
    </FormDrawer>
  );
}

export function VersionDrawer({ open, policyId, title, onClose, onSaved }: { open: boolean; policyId: string; title: string; onClose: () => void; onSaved: () => void }) {
  const uploads = useUploads(10);
  return (
    <FormDrawer<VersionValues>
      name="policy-version"
      open={open}
      title={f.versionTitle(title)}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      savedMessage={f.versionCreated}
      onSubmit={(v) => {
        if (uploads.uploading) return Promise.reject(new Error(common.uploading));
        return api.post(`${POLICIES_KEY}/${policyId}/versions`, versionBody(v, uploads));
      }}
      onSaved={() => {
        uploads.reset();
        onSaved();
      }}
    >
      <VersionFields uploads={uploads} prefix={[]} withNote />
    </FormDrawer>
  );
}

export function AckModal({ open, policyId, versionId, title, versionNo, onClose, onSaved }: {
  open: boolean;
  policyId: string;
  versionId: string;
  title: string;
  versionNo: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const a = pt.ack;
  return (
    <FormDrawer<{ signedName: string }>
      as="modal"
      name="policy-ack"
      width={560}
      open={open}
      title={a.title(title, versionNo)}
      okText={a.submit}
      onClose={onClose}
      savedMessage={a.done}
      errorAlias={{ versionId: 'signedName' }}
      onSubmit={(v) => api.post(`${POLICIES_KEY}/${policyId}/acknowledge`, { versionId, signedName: v.signedName.trim() })}
      onSaved={onSaved}
    >
      <p className="text-secondary">{a.intro}</p>
      <Form.Item name="signedName" label={a.signedName} rules={[{ required: true, whitespace: true, message: a.signedNameRequired }]}>
        <Input maxLength={30} autoComplete="off" />
      </Form.Item>
    </FormDrawer>
  );
}
