// The ledger's forms, loaded when first opened: a new item (or sub-item) and its correction, a progress
// report with its evidence, and 销号. Field names are the API's, so a refusal naming a field lands on it.
import { useEffect } from 'react';
import { Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { useMe } from '../../auth/useMe.js';
import { dayjs } from '../../components/dayjs.js';
import { apiDate, atLeast, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { useInvalidate } from '../../components/useList.js';
import { common, rectification as rt } from '../../i18n/index.js';
import {
  ITEM_LISTS, ITEM_SOURCES, MAX_TEXT, RECTIFY_MODES, type ItemList, type ItemSource, type RectifyMode,
} from '../../../../shared/schemas/rectification-labels.js';
import { categoryText, ITEMS_KEY, useCategoriesOf, type ItemDetail, type ItemRow } from './shared.js';

const f = rt.form;
const MAX_EVIDENCE = 20;
const options = (map: Record<string, string>) => Object.entries(map).map(([value, label]) => ({ value, label }));
const tooLong = (n: number) => ({ max: n, message: rt.common.tooLong(n) });
/** At least n characters, not counting spaces around them. */

export type ItemTarget =
  | { kind: 'create'; campaignId: string; list: ItemList; parent?: ItemRow }
  | { kind: 'edit'; item: ItemRow };

interface ItemValues {
  list: ItemList;
  source: ItemSource;
  categoryId?: string | null;
  title: string;
  description: string;
  measures?: string;
  goal?: string;
  orgUnitId: string;
  responsiblePersonId?: PersonOption;
  mode: RectifyMode;
  startDate?: Dayjs | null;
  deadline?: Dayjs | null;
  isPublic: boolean;
  weight: number;
}

export function ItemFormDrawer({ open, target, onClose, onSaved }: {
  open: boolean;
  target: ItemTarget;
  onClose: () => void;
  /** After saving, with the item's id (the new one's when creating). */
  onSaved: (id: string) => void;
}) {
  const me = useMe();
  const invalidate = useInvalidate();
  const editing = target.kind === 'edit' ? target.item : null;
  const parent = target.kind === 'create' ? target.parent : undefined;
  const campaignId = target.kind === 'create' ? target.campaignId : target.item.campaignId;
  const { data: categories = [] } = useCategoriesOf(campaignId);
  // Enabled categories, and the item's own even if it has been disabled since.
  const categoryOptions = categories
    .filter((c) => c.enabled || c.id === editing?.categoryId)
    .map((c) => ({ value: c.id, label: categoryText(c) }));

  const initialValues: Partial<ItemValues> = editing
    ? {
        categoryId: editing.categoryId,
        title: editing.title,
        description: editing.description,
        measures: editing.measures ?? '',
        goal: editing.goal ?? '',
        orgUnitId: editing.orgUnitId,
        responsiblePersonId: editing.responsiblePersonId
          ? { value: editing.responsiblePersonId, label: editing.responsiblePersonName ?? editing.responsiblePersonId }
          : undefined,
        mode: editing.mode,
        startDate: editing.startDate ? dayjs(editing.startDate) : null,
        deadline: editing.deadline ? dayjs(editing.deadline) : null,
        isPublic: editing.isPublic,
        weight: editing.weight,
      }
    : {
        list: target.kind === 'create' ? target.list : 'ledger',
        source: parent?.source ?? 'other',
        categoryId: parent?.categoryId ?? undefined,
        // A sub-item is usually one unit's share of its parent: the unit is chosen, not inherited.
        orgUnitId: parent ? undefined : me.orgUnit?.id,
        mode: parent?.mode ?? 'deadline',
        startDate: today(),
        deadline: parent?.deadline ? dayjs(parent.deadline) : null,
        isPublic: parent?.isPublic ?? false,
        weight: 1,
      };

  const title = editing ? f.editTitle(editing.number) : parent ? f.childTitle(parent.number) : f.createTitle;

  return (
    <FormDrawer<ItemValues, { id: string }>
      name="rectification-item"
      open={open}
      title={title}
      width={Math.min(760, window.innerWidth)}
      onClose={onClose}
      savedMessage={editing ? common.saved : f.created}
      initialValues={initialValues}
      onSubmit={(v) => {
        const body = {
          categoryId: v.categoryId || null,
          title: v.title.trim(),
          description: v.description.trim(),
          measures: v.measures?.trim() || null,
          goal: v.goal?.trim() || null,
          orgUnitId: v.orgUnitId,
          responsiblePersonId: v.responsiblePersonId?.value ?? null,
          mode: v.mode,
          startDate: apiDate(v.startDate),
          deadline: apiDate(v.deadline),
          isPublic: Boolean(v.isPublic),
          weight: v.weight,
        };
        if (editing) return api.patch<{ id: string }>(`${ITEMS_KEY}/${editing.id}`, body);
        return api.post<{ id: string }>(ITEMS_KEY, {
          ...body,
          campaignId,
          list: parent ? parent.list : v.list,
          source: v.source,
          ...(parent ? { parentId: parent.id } : {}),
        });
      }}
      onSaved={(r) => {
        void invalidate(ITEMS_KEY);
        onSaved(r.id);
      }}
    >
      {parent ? (
        <p className="notice info">
          {f.parent}：{parent.number} {parent.title}
        </p>
      ) : null}
      {editing ? null : (
        <Row gutter={12}>
          {parent ? null : (
            <Col xs={24} md={12}>
              <Form.Item name="list" label={f.list} rules={[{ required: true }]}>
                <Radio.Group options={options(ITEM_LISTS)} optionType="button" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={12}>
            <Form.Item name="source" label={f.source} rules={[{ required: true }]}>
              <Select options={options(ITEM_SOURCES)} />
            </Form.Item>
          </Col>
        </Row>
      )}
      <Form.Item name="title" label={f.title} rules={[{ required: true, whitespace: true, message: f.titleRequired }, atLeast(4, f.titleMin), tooLong(100)]}>
        <Input autoFocus showCount maxLength={100} />
      </Form.Item>
      <Form.Item name="categoryId" label={f.category} extra={f.categoryHelp}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={categoryOptions} />
      </Form.Item>
      <Form.Item
        name="description"
        label={f.description}
        rules={[{ required: true, whitespace: true, message: f.descriptionRequired }, atLeast(5, f.descriptionMin), tooLong(MAX_TEXT)]}
      >
        <Input.TextArea rows={4} showCount maxLength={MAX_TEXT} />
      </Form.Item>
      <Form.Item name="measures" label={f.measures} rules={[tooLong(MAX_TEXT)]}>
        <Input.TextArea rows={3} showCount maxLength={MAX_TEXT} />
      </Form.Item>
      <Form.Item name="goal" label={f.goal} rules={[tooLong(500)]}>
        <Input.TextArea rows={2} showCount maxLength={500} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="orgUnitId" label={f.unit} rules={[{ required: true, message: f.unitRequired }]}>
            <OrgTreeSelect onlyInScope />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="responsiblePersonId" label={f.person}>
            <PersonSelect allowClear placeholder={f.personHelp} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="mode" label={f.mode} rules={[{ required: true, message: f.modeRequired }]}>
        <Radio.Group options={options(RECTIFY_MODES)} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="startDate" label={f.startDate}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="deadline"
            label={f.deadline}
            dependencies={['mode', 'startDate']}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, v?: Dayjs | null) => {
                  if (!v && getFieldValue('mode') === 'deadline') throw new Error(f.deadlineRequired);
                  const start = getFieldValue('startDate') as Dayjs | null | undefined;
                  if (v && start && v.isBefore(start, 'day')) throw new Error(f.deadlineBeforeStart);
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="isPublic" label={f.isPublic} valuePropName="checked" extra={f.isPublicHelp}>
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="weight"
            label={f.weight}
            extra={f.weightHelp}
            rules={[{ required: true, type: 'number', min: 0.1, max: 100, message: f.weightRange }]}
          >
            <InputNumber min={0.1} max={100} step={0.1} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
    </FormDrawer>
  );
}

/** 报送进展: percent (100 finishes the item), what was done, and the evidence (uploaded as picked). */
export function ProgressModal({ item, open, onClose, onSaved }: { item: ItemDetail; open: boolean; onClose: () => void; onSaved: () => void }) {
  const p = rt.progress;
  const invalidate = useInvalidate();
  const uploads = useUploads(MAX_EVIDENCE);
  const { reset } = uploads;
  // Every opening starts without files (the form itself is fresh each time).
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  return (
    <FormDrawer<{ percent: number; note: string }>
      as="modal"
      name="rectification-progress"
      width={620}
      open={open}
      title={`${p.title}：${item.number} ${item.title}`}
      onClose={onClose}
      savedMessage={p.saved}
      initialValues={{ percent: Math.round(item.progress) }}
      onSubmit={(v) => {
        if (uploads.uploading) throw new Error(common.uploading);
        return api.post(`${ITEMS_KEY}/${item.id}/progress`, { percent: v.percent, note: v.note.trim(), attachmentIds: uploads.ids });
      }}
      onSaved={() => {
        void invalidate(ITEMS_KEY);
        onSaved();
      }}
    >
      <Form.Item
        name="percent"
        label={p.percent}
        extra={p.percentHelp}
        rules={[{ required: true, message: p.percentRequired }, { type: 'integer', min: 0, max: 100, message: p.percentRange }]}
      >
        <InputNumber min={0} max={100} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="note" label={p.note} rules={[{ required: true, whitespace: true, message: p.noteRequired }, atLeast(2, p.noteMin), tooLong(MAX_TEXT)]}>
        <Input.TextArea rows={4} showCount maxLength={MAX_TEXT} />
      </Form.Item>
      <Form.Item label={p.evidence} htmlFor="rectification-evidence" extra={p.evidenceHelp}>
        <input id="rectification-evidence" type="file" multiple accept="image/*,.pdf" disabled={uploads.full} onChange={(e) => uploads.add(e.target)} />
        <UploadList uploads={uploads} label={p.evidence} />
      </Form.Item>
    </FormDrawer>
  );
}

/** 销号: the office's closing note, after checking the evidence (the server checks it is there). */
export function SignOffModal({ item, open, onClose, onSaved }: { item: ItemDetail; open: boolean; onClose: () => void; onSaved: () => void }) {
  const s = rt.signOff;
  const invalidate = useInvalidate();
  const noEvidence = item.childCount === 0 && !item.progressReports.some((r) => r.attachments.length > 0);
  return (
    <FormDrawer<{ note: string }>
      as="modal"
      name="rectification-sign-off"
      width={560}
      open={open}
      title={`${s.title}：${item.number} ${item.title}`}
      okText={s.ok}
      onClose={onClose}
      savedMessage={s.done}
      onSubmit={(v) => api.post(`${ITEMS_KEY}/${item.id}/sign-off`, { note: v.note.trim() })}
      onSaved={() => {
        void invalidate(ITEMS_KEY);
        onSaved();
      }}
    >
      <p className="notice info">{s.help}</p>
      {noEvidence ? <p className="notice warning">{s.noEvidence}</p> : null}
      <Form.Item name="note" label={s.note} rules={[{ required: true, whitespace: true, message: s.noteRequired }, atLeast(2, s.noteMin), tooLong(500)]}>
        <Input.TextArea rows={3} showCount maxLength={500} />
      </Form.Item>
    </FormDrawer>
  );
}
