// 登记企业法律服务 / 法治体检 and 跟进, loaded when first opened. The enterprise is named by its unified
// social credit code: a registered one is found and named; a new one is registered with the record
// (name, type, county). The code's form is checked as typed; a failing check character only warns
// (some legally issued early codes fail it). Field names map the server's (enterprise.code → code…).
import { useEffect } from 'react';
import { Button, Col, DatePicker, Form, Input, Row, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api, qs, type Page } from '../../api.js';
import { apiDate, atLeast, atMost, labelOptions, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { common, service as st } from '../../i18n/index.js';
import {
  checkUscc, ENTERPRISE_KINDS, FOLLOW_UP_STATUSES, RISK_LEVELS, SERVICE_KINDS, USCC_FORMAT_MESSAGE, USCC_WARNING, type FollowUpStatus, type RiskLevel, type ServiceKind,
} from '../../../../shared/schemas/service-labels.js';
import { ENTERPRISES_KEY, RECORDS_KEY, type EnterpriseRow, type RecordRow, type WorkstationRow } from './shared.js';

const f = st.recordForm;
const ALIAS: Record<string, string> = {
  'enterprise.code': 'code', enterpriseId: 'code', 'enterprise.name': 'enterpriseName', 'enterprise.orgUnitId': 'countyId', 'enterprise.kind': 'enterpriseKind',
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`staffPersonIds.${i}`, 'staffPersonIds'])),
};

interface Values {
  kind: ServiceKind;
  workstationId: string;
  servedOn: Dayjs;
  staffPersonIds: PersonOption[];
  code: string;
  enterpriseName?: string;
  enterpriseKind?: string;
  countyId?: string;
  industry?: string;
  summary: string;
  findings?: { area: string; risk: RiskLevel; finding: string }[];
  recommendations?: string;
  followUpStatus: FollowUpStatus;
  followUp?: string;
}

const normCode = (v: string | undefined) => (v ?? '').trim().toUpperCase();

/** The credit code: its form checked as typed; a failing check character only warns. */
function CodeField({ extra }: { extra?: string }) {
  return (
    <Form.Item
      name="code"
      label={f.code}
      extra={extra}
      rules={[
        { required: true, whitespace: true, message: f.codeRequired },
        { validator: async (_, v?: string) => { if (v && checkUscc(v) === 'format') throw new Error(USCC_FORMAT_MESSAGE); } },
        { warningOnly: true, validator: async (_, v?: string) => { if (v && checkUscc(v) === 'checksum') throw new Error(USCC_WARNING); } },
      ]}
    >
      <Input maxLength={18} autoComplete="off" style={{ textTransform: 'uppercase' }} />
    </Form.Item>
  );
}

/** What registers (or corrects) an enterprise besides its code, under the form's own field names. */
function EnterpriseParts({ names, legalRep }: { names: { name: string; kind: string; county: string }; legalRep?: boolean }) {
  const span = legalRep ? 12 : 8;
  return (
    <>
      <Form.Item name={names.name} label={f.enterpriseName} rules={[{ required: true, whitespace: true, message: f.enterpriseNameRequired }, atMost(100)]}>
        <Input />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={span}>
          <Form.Item name={names.kind} label={f.enterpriseKind}>
            <Select options={labelOptions(ENTERPRISE_KINDS)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={span}>
          <Form.Item name={names.county} label={f.county} rules={[{ required: true, message: f.countyRequired }]}>
            <OrgTreeSelect onlyInScope />
          </Form.Item>
        </Col>
        <Col xs={24} md={span}>
          <Form.Item name="industry" label={f.industry} rules={[atMost(60)]}>
            <Input />
          </Form.Item>
        </Col>
        {legalRep ? (
          <Col xs={24} md={span}>
            <Form.Item name="legalRep" label={st.enterpriseForm.legalRep} rules={[atMost(30)]}>
              <Input />
            </Form.Item>
          </Col>
        ) : null}
      </Row>
    </>
  );
}

/** The enterprise part: the code, and what is known of it (or the fields to register it). */
function EnterpriseFields() {
  const form = Form.useFormInstance();
  const code = normCode(Form.useWatch('code', form) as string | undefined);
  const wellFormed = checkUscc(code) !== 'format';
  const found = useQuery({
    queryKey: [ENTERPRISES_KEY, 'code', code],
    queryFn: () => api.get<Page<EnterpriseRow>>(ENTERPRISES_KEY + qs({ q: code, pageSize: 1 })),
    enabled: wellFormed,
  });
  const hit = wellFormed ? found.data?.items.find((e) => e.code === code) : undefined;
  return (
    <>
      <CodeField extra={f.codeHelp} />
      {!wellFormed ? null : hit ? (
        <Typography.Paragraph data-testid="enterprise-found">
          {f.found(`${hit.name}（${hit.orgUnitName}）`)}
        </Typography.Paragraph>
      ) : found.isSuccess ? (
        <>
          <Typography.Paragraph type="secondary">{f.notFound}</Typography.Paragraph>
          <EnterpriseParts names={{ name: 'enterpriseName', kind: 'enterpriseKind', county: 'countyId' }} />
        </>
      ) : null}
    </>
  );
}

export function RecordForm({ open, kind, workstations, onClose, onSaved }: { open: boolean; kind: ServiceKind; workstations: WorkstationRow[]; onClose: () => void; onSaved: () => void }) {
  const uploads = useUploads(20);
  const { reset } = uploads;
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  return (
    <FormDrawer<Values>
      name="service-record"
      open={open}
      title={kind === 'health_check' ? f.checkTitle : f.title}
      width={Math.min(760, window.innerWidth)}
      onClose={onClose}
      savedMessage={f.created}
      errorAlias={ALIAS}
      initialValues={{
        kind, servedOn: today(), staffPersonIds: [], followUpStatus: kind === 'health_check' ? 'pending' : 'none', enterpriseKind: 'small_micro',
        findings: kind === 'health_check' ? [{ area: '', risk: 'medium', finding: '' }] : [], workstationId: workstations.length === 1 ? workstations[0]!.id : undefined,
      }}
      onSubmit={async (v) => {
        if (uploads.uploading) throw new Error(common.uploading);
        const code = normCode(v.code);
        const existing = await api.get<Page<EnterpriseRow>>(ENTERPRISES_KEY + qs({ q: code, pageSize: 1 }));
        const hit = existing.items.find((e) => e.code === code);
        return api.post(RECORDS_KEY, {
          kind: v.kind,
          workstationId: v.workstationId,
          servedOn: apiDate(v.servedOn),
          staffPersonIds: v.staffPersonIds.map((p) => p.value),
          summary: v.summary.trim(),
          findings: (v.findings ?? []).filter((x) => x && x.area?.trim() && x.finding?.trim()).map((x) => ({ area: x.area.trim(), risk: x.risk, finding: x.finding.trim() })),
          recommendations: v.recommendations?.trim() || null,
          followUpStatus: v.followUpStatus,
          followUp: v.followUp?.trim() || null,
          attachmentIds: uploads.ids,
          ...(hit
            ? { enterpriseId: hit.id }
            : { enterprise: { code, name: v.enterpriseName?.trim() ?? '', kind: v.enterpriseKind ?? 'small_micro', orgUnitId: v.countyId ?? '', industry: v.industry?.trim() || null } }),
        });
      }}
      onSaved={onSaved}
    >
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="kind" label={f.kind} rules={[{ required: true }]}>
            <Select options={labelOptions(SERVICE_KINDS)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="workstationId" label={f.workstation} rules={[{ required: true, message: f.workstationRequired }]}>
            <Select options={workstations.map((w) => ({ value: w.id, label: w.name }))} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="servedOn" label={f.servedOn} rules={[{ required: true, message: f.servedOnRequired }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(v) => v.isAfter(today(), 'day')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="staffPersonIds" label={f.staff} rules={[{ required: true, type: 'array', min: 1, message: f.staffRequired }]}>
            <PersonSelect multiple />
          </Form.Item>
        </Col>
      </Row>
      <EnterpriseFields />
      <Form.Item name="summary" label={f.summary} rules={[{ required: true, whitespace: true, message: f.summaryRequired }, atLeast(5, f.summaryMin), atMost(2000)]}>
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
        {({ getFieldValue }) =>
          getFieldValue('kind') === 'health_check' ? (
            <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
              <legend style={{ fontWeight: 600, marginBottom: 8 }}>{f.findings}</legend>
              <Form.List name="findings">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((field, i) => (
                      <Row gutter={8} key={field.key} align="top">
                        <Col xs={24} md={6}>
                          <Form.Item name={[field.name, 'area']} label={`${f.findingArea} ${i + 1}`} rules={[{ required: true, whitespace: true, message: f.findingAreaRequired }, atMost(40)]}>
                            <Input />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={5}>
                          <Form.Item name={[field.name, 'risk']} label={`${f.findingRisk} ${i + 1}`}>
                            <Select options={labelOptions(RISK_LEVELS)} />
                          </Form.Item>
                        </Col>
                        <Col xs={20} md={11}>
                          <Form.Item name={[field.name, 'finding']} label={`${f.findingText} ${i + 1}`} rules={[{ required: true, whitespace: true, message: f.findingTextRequired }, atMost(1000)]}>
                            <Input.TextArea rows={1} autoSize />
                          </Form.Item>
                        </Col>
                        <Col xs={4} md={2} style={{ paddingTop: 30 }}>
                          <Button type="text" icon={<DeleteOutlined />} aria-label={f.removeFinding(i + 1)} onClick={() => remove(field.name)} disabled={fields.length <= 1} />
                        </Col>
                      </Row>
                    ))}
                    <Button icon={<PlusOutlined />} onClick={() => add({ area: '', risk: 'medium', finding: '' })} style={{ marginBottom: 16 }}>
                      {f.addFinding}
                    </Button>
                  </>
                )}
              </Form.List>
            </fieldset>
          ) : null
        }
      </Form.Item>
      <Form.Item name="recommendations" label={f.recommendations} rules={[atMost(3000)]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="followUpStatus" label={f.followUpStatus}>
            <Select options={labelOptions(FOLLOW_UP_STATUSES)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="followUp" label={f.followUp} rules={[atMost(2000)]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={f.report} htmlFor="service-report" extra={f.reportHelp}>
        <input id="service-report" type="file" multiple accept="image/*,.pdf" disabled={uploads.full} onChange={(e) => uploads.add(e.target)} />
        <UploadList uploads={uploads} label={f.report} />
      </Form.Item>
    </FormDrawer>
  );
}

export function FollowUpModal({ record, onClose, onSaved }: { record: RecordRow | null; onClose: () => void; onSaved: () => void }) {
  const m = st.followForm;
  return (
    <FormDrawer<{ followUpStatus: FollowUpStatus; followUp?: string }>
      key={record?.id}
      as="modal"
      name="service-follow-up"
      width={560}
      open={Boolean(record)}
      title={m.title(record?.enterpriseName ?? '')}
      onClose={onClose}
      savedMessage={m.saved}
      initialValues={{ followUpStatus: (record?.followUpStatus as FollowUpStatus) ?? 'pending', followUp: record?.followUp ?? undefined }}
      onSubmit={(v) => api.patch(`${RECORDS_KEY}/${record!.id}`, { followUpStatus: v.followUpStatus, followUp: v.followUp?.trim() || null })}
      onSaved={onSaved}
    >
      <Form.Item name="followUpStatus" label={m.status}>
        <Select options={labelOptions(FOLLOW_UP_STATUSES)} />
      </Form.Item>
      <Form.Item name="followUp" label={m.text} rules={[atMost(2000)]}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </FormDrawer>
  );
}

interface EnterpriseValues {
  code: string;
  name: string;
  kind: string;
  orgUnitId: string;
  industry?: string;
  legalRep?: string;
}

/** 更正企业: the enterprise of a record, read afresh by its code, every part correctable. */
export function EnterpriseModal({ record, onClose, onSaved }: { record: RecordRow | null; onClose: () => void; onSaved: () => void }) {
  const m = st.enterpriseForm;
  const current = useQuery({
    queryKey: [ENTERPRISES_KEY, 'code', record?.enterpriseCode],
    queryFn: () => api.get<Page<EnterpriseRow>>(ENTERPRISES_KEY + qs({ q: record!.enterpriseCode, pageSize: 1 })),
    enabled: Boolean(record),
  });
  const e = current.data?.items.find((x) => x.id === record?.enterpriseId);
  return (
    <FormDrawer<EnterpriseValues>
      key={`${record?.id}-${e ? 'loaded' : 'loading'}`}
      as="modal"
      name="service-enterprise"
      width={620}
      open={Boolean(record)}
      title={m.title(record?.enterpriseName ?? '')}
      onClose={onClose}
      savedMessage={m.saved}
      initialValues={e ? { code: e.code, name: e.name, kind: e.kind, orgUnitId: e.orgUnitId, industry: e.industry ?? undefined, legalRep: e.legalRep ?? undefined } : undefined}
      onSubmit={(v) =>
        api.patch(`${ENTERPRISES_KEY}/${record!.enterpriseId}`, {
          code: normCode(v.code), name: v.name.trim(), kind: v.kind, orgUnitId: v.orgUnitId, industry: v.industry?.trim() || null, legalRep: v.legalRep?.trim() || null,
        })
      }
      onSaved={onSaved}
    >
      {!e ? (
        <Typography.Paragraph type="secondary">{m.loading}</Typography.Paragraph>
      ) : (
        <>
          <CodeField />
          <EnterpriseParts names={{ name: 'name', kind: 'kind', county: 'orgUnitId' }} legalRep />
        </>
      )}
    </FormDrawer>
  );
}
