// The officer's two forms, loaded when first opened: 记录报告 (the regulation, who intervened — a person
// of the platform or an outsider by name — their post and relation, the case, how, when, what was asked,
// how it was handled, files) and 零报告 (the statement, signed with the typed full name). Field names
// are the API's, so a refusal naming a field lands on it.
import { Col, DatePicker, Form, Input, Radio, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { CheckGroup } from '../../components/CheckGroup.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { atLeast, atMost, labelOptions as options } from '../../components/formParts.js';
import { dayjs } from '../../components/dayjs.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { common, interference as it } from '../../i18n/index.js';
import {
  INTERFERENCE_CATEGORIES, INTERFERENCE_HANDLING, INTERFERENCE_MANNERS, INTERVENER_KINDS, INTERVENER_RELATIONS, periodLabel,
} from '../../../../shared/schemas/interference-labels.js';

const f = it.form;

interface RecordValues {
  category: string;
  intervenerKind: 'internal' | 'external';
  intervenerPersonId?: PersonOption;
  intervenerName?: string;
  intervenerPost?: string;
  intervenerRelation: string;
  caseRef: string;
  manners: string[];
  occurredAt: Dayjs;
  requestText: string;
  handling: string;
  handlingNote?: string;
}

export function RecordDrawer({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const uploads = useUploads(10);
  return (
    <FormDrawer<RecordValues, { id: string }>
      name="interference"
      open={open}
      title={f.title}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      savedMessage={f.created}
      initialValues={{ intervenerKind: 'external', manners: [] }}
      onSubmit={(v) => {
        if (uploads.uploading) return Promise.reject(new Error(common.uploading));
        return api.post<{ id: string }>('/api/interference/records', {
          category: v.category,
          intervenerKind: v.intervenerKind,
          intervenerPersonId: v.intervenerKind === 'internal' ? v.intervenerPersonId?.value : null,
          intervenerName: v.intervenerKind === 'external' ? v.intervenerName?.trim() : null,
          intervenerPost: v.intervenerPost?.trim() || null,
          intervenerRelation: v.intervenerRelation,
          caseRef: v.caseRef.trim(),
          manners: v.manners,
          occurredAt: v.occurredAt.toISOString(),
          requestText: v.requestText.trim(),
          handling: v.handling,
          handlingNote: v.handlingNote?.trim() || null,
          attachmentIds: uploads.ids,
        });
      }}
      onSaved={() => {
        uploads.reset();
        onSaved();
      }}
    >
      <Form.Item name="category" label={f.category} rules={[{ required: true, message: f.categoryRequired }]}>
        <Select options={options(INTERFERENCE_CATEGORIES)} />
      </Form.Item>
      <Form.Item name="intervenerKind" label={f.intervenerKind}>
        <Radio.Group options={options(INTERVENER_KINDS)} optionType="button" />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.intervenerKind !== b.intervenerKind}>
        {({ getFieldValue }) =>
          getFieldValue('intervenerKind') === 'internal' ? (
            <Form.Item name="intervenerPersonId" label={f.intervenerPerson} extra={f.intervenerPersonHelp} rules={[{ required: true, message: f.intervenerPersonRequired }]}>
              <PersonSelect placeholder={f.personPlaceholder} />
            </Form.Item>
          ) : (
            <Form.Item name="intervenerName" label={f.intervenerName} rules={[{ required: true, whitespace: true, message: f.intervenerNameRequired }, atMost(30)]}>
              <Input maxLength={30} />
            </Form.Item>
          )
        }
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={14}>
          <Form.Item name="intervenerPost" label={f.intervenerPost} rules={[atMost(100)]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="intervenerRelation" label={f.relation} rules={[{ required: true, message: f.relationRequired }]}>
            <Select options={options(INTERVENER_RELATIONS)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="caseRef" label={f.caseRef} rules={[{ required: true, whitespace: true, message: f.caseRefRequired }, atMost(200)]}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={14}>
          <Form.Item name="manners" label={f.manners} rules={[{ required: true, type: 'array', min: 1, message: f.mannersRequired }]}>
            <CheckGroup label={f.manners} options={options(INTERFERENCE_MANNERS)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="occurredAt" label={f.occurredAt} rules={[{ required: true, message: f.occurredAtRequired }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="requestText" label={f.requestText} rules={[{ required: true, whitespace: true, message: f.requestTextRequired }, atLeast(5, f.requestTextMin), atMost(5000)]}>
        <Input.TextArea rows={4} showCount maxLength={5000} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={10}>
          <Form.Item name="handling" label={f.handling} rules={[{ required: true, message: f.handlingRequired }]}>
            <Select options={options(INTERFERENCE_HANDLING)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item name="handlingNote" label={f.handlingNote} rules={[atMost(2000)]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={f.attachments} htmlFor="interference-files">
        <input id="interference-files" type="file" multiple disabled={uploads.full} onChange={(e) => uploads.add(e.target)} />
        <UploadList uploads={uploads} label={f.attachments} />
      </Form.Item>
    </FormDrawer>
  );
}

export function ZeroReportModal({ open, period, statement, onClose, onSaved }: {
  open: boolean;
  period: string;
  statement: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const z = it.zero;
  return (
    <FormDrawer<{ signedName: string }>
      as="modal"
      name="zero-report"
      width={560}
      open={open}
      title={z.title(periodLabel(period))}
      okText={z.submit}
      onClose={onClose}
      savedMessage={z.done}
      onSubmit={(v) => api.post('/api/interference/zero-reports', { period, signedName: v.signedName.trim() })}
      onSaved={onSaved}
      errorAlias={{ period: 'signedName' }}
    >
      <p className="text-secondary">{z.intro}</p>
      <blockquote className="notice" data-testid="zero-statement">
        <strong>{z.statement}：</strong>
        {statement}
      </blockquote>
      <Form.Item name="signedName" label={z.signedName} rules={[{ required: true, whitespace: true, message: z.signedNameRequired }]}>
        <Input maxLength={30} autoComplete="off" />
      </Form.Item>
    </FormDrawer>
  );
}
