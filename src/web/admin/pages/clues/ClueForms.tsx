// 问题线索's forms, loaded when first opened: 登记线索 (with the people or units it concerns, the reporter if
// any, the evidence), and the three steps of handling — 处置, 登记核实结果, 办结. Field names are the API's,
// so a refusal naming a field (subjects.0.personId, due, disposition…) lands on it.
import { useEffect, type ReactNode } from 'react';
import { Button, Col, DatePicker, Flex, Form, Input, Radio, Row, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { dayjs } from '../../components/dayjs.js';
import { apiDate, atLeast, atMost, labelOptions as options, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { useInvalidate } from '../../components/useList.js';
import { clues as ct, common } from '../../i18n/index.js';
import {
  CLUE_SOURCES, DISPOSAL_METHODS, DISPOSITIONS, VERIFICATION_OUTCOMES,
  type ClueSource, type DisposalMethod, type Disposition, type VerificationOutcome,
} from '../../../../shared/schemas/clue-labels.js';
import { isValidPhone, PHONE_FORMAT_MESSAGE } from '../../../../shared/validators.js';
import { categoryText, useCategoriesOf } from '../rectification/shared.js';
import { CLUES_KEY, type ClueDetail } from './shared.js';

const f = ct.form;
const MAX_EVIDENCE = 20;
const required = (message: string) => ({ required: true, message });
const afterToday = (v: Dayjs) => v.isAfter(today(), 'day');

interface SubjectValue {
  kind: 'person' | 'unit';
  personId?: PersonOption;
  orgUnitId?: string;
}
interface RegisterValues {
  source: ClueSource;
  categoryId?: string;
  summary: string;
  receivedOn: Dayjs;
  subjects: SubjectValue[];
  reporterName?: string;
  reporterPhone?: string;
}

/** One row of 涉及人员或单位: a person (searched by name) or a unit (from the tree). */
function SubjectRows() {
  return (
    <Form.List name="subjects">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          {fields.map((field, index) => (
            <Flex key={field.key} gap={8} align="end" wrap role="group" aria-label={f.subjectN(index + 1)}>
              <Form.Item name={[field.name, 'kind']} label={f.subjectKind} style={{ marginBottom: 0 }}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'person', label: f.subjectPerson },
                    { value: 'unit', label: f.subjectUnit },
                  ]}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.subjects?.[field.name]?.kind !== b.subjects?.[field.name]?.kind}>
                {({ getFieldValue }) =>
                  getFieldValue(['subjects', field.name, 'kind']) === 'unit' ? (
                    <Form.Item name={[field.name, 'orgUnitId']} label={f.unitField} rules={[required(f.unitRequired)]} style={{ flex: '1 1 240px', marginBottom: 0 }}>
                      <OrgTreeSelect />
                    </Form.Item>
                  ) : (
                    <Form.Item name={[field.name, 'personId']} label={f.personField} rules={[required(f.personRequired)]} style={{ flex: '1 1 240px', marginBottom: 0 }}>
                      <PersonSelect placeholder={f.personPlaceholder} />
                    </Form.Item>
                  )
                }
              </Form.Item>
              {fields.length > 1 ? (
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={f.removeSubject(index + 1)} onClick={() => remove(field.name)} />
              ) : null}
            </Flex>
          ))}
          {fields.length < 20 ? (
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'person' })}>
              {f.addSubject}
            </Button>
          ) : null}
        </Flex>
      )}
    </Form.List>
  );
}

export function RegisterDrawer({ open, campaignId, onClose, onSaved }: {
  open: boolean;
  campaignId: string;
  onClose: () => void;
  /** After registering, with the new clue's id. */
  onSaved: (id: string) => void;
}) {
  const can = useCan();
  const invalidate = useInvalidate();
  const uploads = useUploads(MAX_EVIDENCE);
  const { reset } = uploads;
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  // The campaign's catalogue, read by whoever registers clues (a handler need not read the ledger).
  const categories = useCategoriesOf(can('rectification:read') || can('clues:write') ? campaignId : null);
  const categoryOptions = (categories.data ?? []).filter((c) => c.enabled).map((c) => ({ value: c.id, label: categoryText(c) }));

  return (
    <FormDrawer<RegisterValues, { id: string; clueNo: string }>
      name="clue"
      open={open}
      title={f.title}
      width={Math.min(760, window.innerWidth)}
      onClose={onClose}
      savedMessage={(r) => f.created(r.clueNo)}
      initialValues={{ receivedOn: today(), subjects: [{ kind: 'person' }] }}
      onSubmit={(v) => {
        if (uploads.uploading) throw new Error(common.uploading);
        return api.post<{ id: string; clueNo: string }>(CLUES_KEY, {
          campaignId,
          source: v.source,
          categoryId: v.categoryId || null,
          summary: v.summary.trim(),
          receivedOn: apiDate(v.receivedOn),
          subjects: v.subjects.map((s) => (s.kind === 'unit' ? { orgUnitId: s.orgUnitId } : { personId: s.personId?.value })),
          reporterName: v.reporterName?.trim() || null,
          reporterPhone: v.reporterPhone?.trim() || null,
          attachmentIds: uploads.ids,
        });
      }}
      onSaved={(r) => {
        void invalidate(CLUES_KEY);
        onSaved(r.id);
      }}
    >
      <p className="notice warning" role="note">
        {ct.list.restricted}
      </p>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="source" label={f.source} rules={[required(common.choose(f.source))]}>
            <Select options={options(CLUE_SOURCES)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="receivedOn" label={f.receivedOn} rules={[required(f.receivedOnRequired)]}>
            <DatePicker style={{ width: '100%' }} disabledDate={afterToday} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="categoryId" label={f.category} extra={categories.isError ? f.categoryFailed : f.categoryHelp}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={categoryOptions} loading={categories.isLoading} />
      </Form.Item>
      <Form.Item
        name="summary"
        label={f.summary}
        rules={[{ required: true, whitespace: true, message: f.summaryRequired }, atLeast(10, f.summaryMin), atMost(5000)]}
      >
        <Input.TextArea rows={5} showCount maxLength={5000} />
      </Form.Item>
      <Form.Item label={f.subjects} extra={f.subjectsHelp} required>
        <SubjectRows />
      </Form.Item>
      <Typography.Title level={5}>{f.reporter}</Typography.Title>
      <p className="text-secondary">{f.reporterHelp}</p>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="reporterName" label={f.reporterName} rules={[atMost(30)]}>
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="reporterPhone"
            label={f.reporterPhone}
            rules={[{ validator: async (_, v?: string) => { if (v?.trim() && !isValidPhone(v)) throw new Error(PHONE_FORMAT_MESSAGE); } }]}
          >
            <Input inputMode="tel" autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={f.evidence} htmlFor="clue-evidence" extra={f.evidenceHelp}>
        <input id="clue-evidence" type="file" multiple disabled={uploads.full} onChange={(e) => uploads.add(e.target)} />
        <UploadList uploads={uploads} label={f.evidence} />
      </Form.Item>
    </FormDrawer>
  );
}

interface StepProps {
  clue: ClueDetail;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}

/** The three steps' common frame: a modal form that refreshes the clue and the list when saved. */
function StepModal<V extends object>({ clue, open, onClose, onSaved, ...p }: StepProps & {
  name: string;
  title: string;
  savedMessage: string;
  initialValues?: Partial<V>;
  onSubmit: (v: V) => Promise<unknown>;
  children: ReactNode;
}) {
  const invalidate = useInvalidate();
  return (
    <FormDrawer<V>
      as="modal"
      name={p.name}
      width={620}
      open={open}
      title={p.title}
      onClose={onClose}
      savedMessage={p.savedMessage}
      initialValues={p.initialValues}
      onSubmit={p.onSubmit}
      // Refused as out of order (another handler was quicker): the clue as it is now.
      onFailed={() => void invalidate(CLUES_KEY)}
      onSaved={() => {
        void invalidate(CLUES_KEY);
        onSaved();
      }}
    >
      {p.children}
    </FormDrawer>
  );
}

const noteRules = (s: { noteRequired: string; noteMin: string }, max: number) => [
  { required: true, whitespace: true, message: s.noteRequired },
  atLeast(2, s.noteMin),
  atMost(max),
];
/** Not before `from` (a YYYY-MM-DD), not after today. */
const outside = (from: string | null) => (v: Dayjs) => afterToday(v) || Boolean(from && v.isBefore(dayjs(from), 'day'));

/** 处置: one of the four methods; 谈话函询 and 初步核实 need a deadline. */
export function DisposeModal(props: StepProps) {
  const s = ct.dispose;
  const { clue } = props;
  const needsDue = (m?: DisposalMethod) => m === 'talk_inquiry' || m === 'preliminary_verification';
  return (
    <StepModal<{ method: DisposalMethod; due?: Dayjs | null; note: string }>
      {...props}
      name="clue-dispose"
      title={s.title(clue.clueNo)}
      savedMessage={s.done}
      onSubmit={(v) => api.post(`${CLUES_KEY}/${clue.id}/dispose`, { method: v.method, due: apiDate(v.due), note: v.note.trim() })}
    >
      <Form.Item name="method" label={s.method} rules={[required(s.methodRequired)]}>
        <Radio.Group options={options(DISPOSAL_METHODS)} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.method !== b.method}>
        {({ getFieldValue }) => (getFieldValue('method') === 'concluded' ? <p className="notice info">{s.concludedHelp}</p> : null)}
      </Form.Item>
      <Form.Item
        name="due"
        label={s.due}
        dependencies={['method']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_, v?: Dayjs | null) => {
              if (!v && needsDue(getFieldValue('method'))) throw new Error(s.dueRequired);
            },
          }),
        ]}
      >
        <DatePicker style={{ width: 200 }} disabledDate={(v) => v.isBefore(dayjs(clue.receivedOn), 'day')} />
      </Form.Item>
      <Form.Item name="note" label={s.note} rules={noteRules(s, 2000)}>
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
    </StepModal>
  );
}

/** 登记核实结果: the outcome, when, and what was found. */
export function VerifyModal(props: StepProps) {
  const s = ct.verify;
  const { clue } = props;
  return (
    <StepModal<{ outcome: VerificationOutcome; verifiedOn: Dayjs; note: string }>
      {...props}
      name="clue-verify"
      title={s.title(clue.clueNo)}
      savedMessage={s.done}
      initialValues={{ verifiedOn: today() }}
      onSubmit={(v) => api.post(`${CLUES_KEY}/${clue.id}/verify`, { outcome: v.outcome, verifiedOn: apiDate(v.verifiedOn), note: v.note.trim() })}
    >
      <Form.Item name="outcome" label={s.outcome} rules={[required(s.outcomeRequired)]}>
        <Radio.Group options={options(VERIFICATION_OUTCOMES)} />
      </Form.Item>
      <Form.Item name="verifiedOn" label={s.verifiedOn} rules={[required(s.verifiedOnRequired)]}>
        <DatePicker style={{ width: 200 }} disabledDate={outside(clue.receivedOn)} />
      </Form.Item>
      <Form.Item name="note" label={s.note} rules={noteRules(s, 5000)}>
        <Input.TextArea rows={4} showCount maxLength={5000} />
      </Form.Item>
    </StepModal>
  );
}

/** 办结: the disposition (不予处理 when the clue proved untrue), when, and the note. */
export function CloseModal(props: StepProps) {
  const s = ct.close;
  const { clue } = props;
  const untrue = clue.verificationOutcome === 'untrue';
  return (
    <StepModal<{ disposition: Disposition; closedOn: Dayjs; note: string }>
      {...props}
      name="clue-close"
      title={s.title(clue.clueNo)}
      savedMessage={s.done}
      initialValues={{ closedOn: today(), ...(untrue ? { disposition: 'none' as const } : {}) }}
      onSubmit={(v) => api.post(`${CLUES_KEY}/${clue.id}/close`, { disposition: v.disposition, closedOn: apiDate(v.closedOn), note: v.note.trim() })}
    >
      <Form.Item name="disposition" label={s.disposition} rules={[required(s.dispositionRequired)]} extra={untrue ? s.untrueHelp : undefined}>
        <Select options={options(DISPOSITIONS)} style={{ maxWidth: 320 }} />
      </Form.Item>
      <Form.Item name="closedOn" label={s.closedOn} rules={[required(s.closedOnRequired)]}>
        <DatePicker style={{ width: 200 }} disabledDate={outside(clue.verifiedOn ?? clue.receivedOn)} />
      </Form.Item>
      <Form.Item name="note" label={s.note} rules={noteRules(s, 2000)}>
        <Input.TextArea rows={3} showCount maxLength={2000} />
      </Form.Item>
    </StepModal>
  );
}
