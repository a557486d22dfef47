// 学习活动's forms, loaded when first opened: an activity and its correction (mode, time in Beijing
// time, place, organiser, speaker, materials as links and files, hours, who is expected), 名单登记, and a
// series of daily sessions on working days with a speaker rota. Field names are the API's, so a refusal
// naming a field (endsAt, targetPersonIds.3, links.0.url…) lands on it.
import { useEffect } from 'react';
import { Button, Col, DatePicker, Flex, Form, Input, InputNumber, Row, Select, TimePicker } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { useMe } from '../../auth/useMe.js';
import { dayjs } from '../../components/dayjs.js';
import { FileLinks } from '../../components/FileLinks.js';
import { apiDate, atLeast, atMost, labelOptions, today } from '../../components/formParts.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { OrgTreeSelect, PartyOrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { useInvalidate } from '../../components/useList.js';
import { common, study as st } from '../../i18n/index.js';
import { LINK_KINDS, STUDY_MODES, type LinkKind, type StudyMode } from '../../../../shared/schemas/study-labels.js';
import {
  ACTIVITIES_KEY, beijingInstant, MY_ACTIVITIES_KEY, SERIES_KEY, STATS_KEY, useTopics, wall, type ActivityDetail,
} from './shared.js';

const f = st.form;
const MAX_FILES = 20;
/** The server names a person by position (targetPersonIds.3): the picker holds them all. */
const byPosition = (field: string, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${field}.${i}`, field]));
const ACTIVITY_ALIAS = { ...byPosition('targetPersonIds', 2000), ...byPosition('targetUnitIds', 200) };

const hoursRule = {
  validator: async (_: unknown, v?: number | null) => {
    if (v !== undefined && v !== null && !Number.isInteger(v * 2)) throw new Error(f.hoursStep);
  },
};

/** Whether a link's address is one the server takes (http or https). */
const webAddress = {
  validator: async (_: unknown, v?: string) => {
    if (!v) return;
    try {
      const u = new URL(v.trim());
      if (u.protocol === 'http:' || u.protocol === 'https:') return;
    } catch {
      // falls through
    }
    throw new Error(f.linkUrlBad);
  },
};

/** The campaign's topics as a select (the campaign may be another field of the form). */
function TopicSelect({ campaignId, ...rest }: { campaignId: string | undefined; id?: string; value?: string | null; onChange?: (v: string | null) => void }) {
  const { data: topics = [], isLoading } = useTopics(campaignId);
  return (
    <Select
      {...rest}
      value={rest.value ?? undefined}
      onChange={(v) => rest.onChange?.(v ?? null)}
      allowClear
      loading={isLoading}
      options={topics.map((x) => ({ value: x.id, label: x.title }))}
    />
  );
}

/** Both target lists together: at least one unit or one person. */
const targetsRule = ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
  validator: async () => {
    const units = (getFieldValue('targetUnitIds') as string[] | undefined) ?? [];
    const people = (getFieldValue('targetPersonIds') as PersonOption[] | undefined) ?? [];
    if (!units.length && !people.length) throw new Error(f.targetsRequired);
  },
});

function TargetFields() {
  return (
    <Row gutter={12}>
      <Col xs={24} md={12}>
        <Form.Item name="targetUnitIds" label={f.targetUnits} extra={f.targetUnitsHelp} dependencies={['targetPersonIds']} rules={[targetsRule]}>
          <OrgTreeSelect multiple onlyInScope />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="targetPersonIds" label={f.targetPersons} extra={f.targetPersonsHelp}>
          <PersonSelect multiple placeholder={st.common.personPlaceholder} />
        </Form.Item>
      </Col>
    </Row>
  );
}

interface LinkValue {
  title: string;
  url: string;
  kind: LinkKind;
}

interface ActivityValues {
  campaignId: string;
  mode: StudyMode;
  title: string;
  topicId?: string | null;
  startsAt: Dayjs;
  endsAt: Dayjs;
  place?: string;
  orgUnitId: string;
  partyOrgId?: string | null;
  speaker?: string;
  speakerPersonId?: PersonOption | null;
  summary?: string;
  hours: number;
  links?: LinkValue[];
  targetUnitIds?: string[];
  targetPersonIds?: PersonOption[];
}

export type ActivityTarget = { kind: 'create'; campaignId: string } | { kind: 'edit'; activity: ActivityDetail };

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export function ActivityFormDrawer({ open, target, campaigns, onClose, onSaved }: {
  open: boolean;
  target: ActivityTarget;
  campaigns: readonly { id: string; name: string }[];
  onClose: () => void;
  /** After saving, with the activity's id. */
  onSaved: (id: string) => void;
}) {
  const me = useMe();
  const invalidate = useInvalidate();
  const uploads = useUploads(MAX_FILES);
  const { reset } = uploads;
  // Every opening starts without new files (the form itself is fresh each time).
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  const editing = target.kind === 'edit' ? target.activity : null;
  const units = editing ? editing.targets.filter((x) => x.kind === 'unit').map((x) => x.id) : [];
  const people = editing ? editing.targets.filter((x) => x.kind === 'person').map((x) => ({ value: x.id, label: x.name ?? x.id })) : [];

  const now = dayjs(wall(new Date().toISOString()));
  const initialValues: Partial<ActivityValues> = editing
    ? {
        campaignId: editing.campaignId,
        mode: editing.mode,
        title: editing.title,
        topicId: editing.topicId,
        startsAt: dayjs(wall(editing.startsAt)),
        endsAt: dayjs(wall(editing.endsAt)),
        place: editing.place ?? '',
        orgUnitId: editing.orgUnitId,
        partyOrgId: editing.partyOrgId,
        speaker: editing.speaker ?? '',
        speakerPersonId: editing.speakerPersonId ? { value: editing.speakerPersonId, label: editing.speaker ?? editing.speakerPersonId } : null,
        summary: editing.summary ?? '',
        hours: editing.hours,
        links: editing.links.map((l) => ({ ...l, kind: l.kind })),
        targetUnitIds: units,
        targetPersonIds: people,
      }
    : {
        campaignId: target.kind === 'create' ? target.campaignId : undefined,
        startsAt: now,
        endsAt: now.add(90, 'minute'),
        orgUnitId: me.orgUnit?.id,
        hours: 1,
        links: [],
        targetUnitIds: me.orgUnit ? [me.orgUnit.id] : [],
        targetPersonIds: [],
      };

  return (
    <FormDrawer<ActivityValues, { id: string }>
      name="study-activity"
      open={open}
      title={editing ? f.editTitle : f.createTitle}
      width={Math.min(760, window.innerWidth)}
      onClose={onClose}
      savedMessage={editing ? common.saved : f.created}
      errorAlias={ACTIVITY_ALIAS}
      initialValues={initialValues}
      onSubmit={async (v) => {
        if (uploads.uploading) throw new Error(f.uploading);
        const body = {
          mode: v.mode,
          title: v.title.trim(),
          topicId: v.topicId || null,
          startsAt: beijingInstant(v.startsAt),
          endsAt: beijingInstant(v.endsAt),
          place: v.place?.trim() || null,
          orgUnitId: v.orgUnitId,
          partyOrgId: v.partyOrgId || null,
          speaker: v.speaker?.trim() || null,
          speakerPersonId: v.speakerPersonId?.value ?? null,
          summary: v.summary?.trim() || null,
          hours: v.hours,
          links: (v.links ?? []).map((l) => ({ title: l.title.trim(), url: l.url.trim(), kind: l.kind ?? 'link' })),
          attachmentIds: uploads.ids,
        };
        const unitIds = v.targetUnitIds ?? [];
        const personIds = (v.targetPersonIds ?? []).map((p) => p.value);
        if (editing) {
          // Targets are replaced only when changed: an unchanged list may name people the editor no longer sees.
          const changed = !sameSet(unitIds, units) || !sameSet(personIds, people.map((p) => p.value));
          await api.patch(`${ACTIVITIES_KEY}/${editing.id}`, { ...body, ...(changed ? { targetUnitIds: unitIds, targetPersonIds: personIds } : {}) });
          return { id: editing.id };
        }
        return api.post<{ id: string }>(ACTIVITIES_KEY, { ...body, campaignId: v.campaignId, targetUnitIds: unitIds, targetPersonIds: personIds });
      }}
      onSaved={(r) => {
        void invalidate(ACTIVITIES_KEY, MY_ACTIVITIES_KEY, STATS_KEY);
        onSaved(r.id);
      }}
    >
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="campaignId" label={f.campaign} rules={[{ required: true, message: f.campaignRequired }]}>
            <Select disabled={Boolean(editing)} options={campaigns.map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="mode" label={f.mode} rules={[{ required: true, message: f.modeRequired }]}>
            <Select options={labelOptions(STUDY_MODES)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="title" label={f.title} rules={[{ required: true, whitespace: true, message: f.titleRequired }, atLeast(2, f.titleMin), atMost(100)]}>
        <Input showCount maxLength={100} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.campaignId !== b.campaignId}>
        {({ getFieldValue }) => (
          <Form.Item name="topicId" label={f.topic} extra={f.topicHelp}>
            <TopicSelect campaignId={getFieldValue('campaignId') as string | undefined} />
          </Form.Item>
        )}
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="startsAt" label={f.startsAt} extra={f.timeHelp} rules={[{ required: true, message: f.startsAtRequired }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="endsAt"
            label={f.endsAt}
            dependencies={['startsAt']}
            rules={[
              { required: true, message: f.endsAtRequired },
              ({ getFieldValue }) => ({
                validator: async (_, v?: Dayjs | null) => {
                  const start = getFieldValue('startsAt') as Dayjs | null | undefined;
                  if (v && start && !v.isAfter(start)) throw new Error(f.endsBeforeStart);
                },
              }),
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="place" label={f.place} rules={[atMost(200)]}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="hours" label={f.hours} extra={f.hoursHelp} rules={[{ required: true, message: f.hoursRequired }, hoursRule]}>
            <InputNumber min={0} max={24} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="orgUnitId" label={f.orgUnit} rules={[{ required: true, message: f.orgUnitRequired }]}>
            <OrgTreeSelect onlyInScope />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="partyOrgId" label={f.partyOrg} extra={f.partyOrgHelp}>
            <PartyOrgTreeSelect allowClear />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="speaker" label={f.speaker} extra={f.speakerHelp} rules={[atMost(100)]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="speakerPersonId" label={f.speakerPerson}>
            <PersonSelect allowClear placeholder={st.common.personPlaceholder} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="summary" label={f.summary} rules={[atMost(5000)]}>
        <Input.TextArea rows={3} showCount maxLength={5000} />
      </Form.Item>
      <TargetFields />
      <fieldset className="study-fieldset">
        <legend>{f.links}</legend>
        <Form.List name="links">
          {(fields, { add, remove }) => (
            <Flex vertical gap={4}>
              {fields.map((field, i) => (
                <Row key={field.key} gutter={8} align="top">
                  <Col xs={24} md={7}>
                    <Form.Item name={[field.name, 'title']} label={`${f.linkTitle} ${i + 1}`} rules={[{ required: true, whitespace: true, message: f.linkTitleRequired }, atMost(100)]}>
                      <Input maxLength={100} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={10}>
                    <Form.Item name={[field.name, 'url']} label={`${f.linkUrl} ${i + 1}`} rules={[{ required: true, whitespace: true, message: f.linkUrlRequired }, webAddress]}>
                      <Input placeholder="https://" maxLength={1000} />
                    </Form.Item>
                  </Col>
                  <Col xs={18} md={5}>
                    <Form.Item name={[field.name, 'kind']} label={`${f.linkKind} ${i + 1}`}>
                      <Select options={labelOptions(LINK_KINDS)} />
                    </Form.Item>
                  </Col>
                  <Col xs={6} md={2}>
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={f.removeLink(i + 1)}
                      title={f.removeLink(i + 1)}
                      style={{ marginTop: 30 }}
                      onClick={() => remove(field.name)}
                    />
                  </Col>
                </Row>
              ))}
              {fields.length < 20 ? (
                <Button icon={<PlusOutlined />} onClick={() => add({ title: '', url: '', kind: 'link' })} style={{ alignSelf: 'flex-start' }}>
                  {f.addLink}
                </Button>
              ) : null}
            </Flex>
          )}
        </Form.List>
      </fieldset>
      <Form.Item label={f.attachments} htmlFor="study-attachments" extra={f.attachmentsHelp}>
        {editing?.attachments.length ? (
          <div style={{ marginBottom: 8 }}>
            <span className="text-secondary">{f.attachmentsKept}：</span>
            <FileLinks files={editing.attachments} label={f.attachmentsKept} />
          </div>
        ) : null}
        <input
          id="study-attachments"
          type="file"
          multiple
          accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.webp,.mp3,audio/mpeg"
          disabled={uploads.full}
          onChange={(e) => uploads.add(e.target)}
        />
        <UploadList uploads={uploads} label={f.attachments} />
      </Form.Item>
    </FormDrawer>
  );
}

/** 名单登记: people the organiser saw attend (those already in are not counted twice). */
export function AttendanceModal({ open, activityId, onClose, onSaved }: { open: boolean; activityId: string; onClose: () => void; onSaved: () => void }) {
  const a = st.attendanceForm;
  const invalidate = useInvalidate();
  return (
    <FormDrawer<{ personIds: PersonOption[] }, { added: number; already: number }>
      as="modal"
      name="study-attendance"
      width={620}
      open={open}
      title={a.title}
      okText={a.ok}
      onClose={onClose}
      errorAlias={byPosition('personIds', 2000)}
      savedMessage={(r) => a.saved(r.added, r.already)}
      initialValues={{ personIds: [] }}
      onSubmit={(v) => api.post(`${ACTIVITIES_KEY}/${activityId}/attendance`, { personIds: v.personIds.map((p) => p.value), method: 'list' })}
      onSaved={() => {
        void invalidate(ACTIVITIES_KEY, MY_ACTIVITIES_KEY, STATS_KEY);
        onSaved();
      }}
    >
      <Form.Item name="personIds" label={a.people} extra={a.peopleHelp} rules={[{ required: true, type: 'array', min: 1, message: a.peopleRequired }]}>
        <PersonSelect multiple placeholder={st.common.personPlaceholder} />
      </Form.Item>
    </FormDrawer>
  );
}

/** The rota: people picked in order, then moved up or down; the order is who speaks on which day. */
function RotaField({ id, value = [], onChange }: { id?: string; value?: PersonOption[]; onChange?: (v: PersonOption[]) => void }) {
  const s = st.series;
  const move = (i: number, by: number) => {
    const next = [...value];
    const [x] = next.splice(i, 1);
    next.splice(i + by, 0, x!);
    onChange?.(next);
  };
  return (
    <>
      <PersonSelect id={id} multiple value={value} onChange={(v) => onChange?.(v)} placeholder={st.common.personPlaceholder} />
      {value.length > 1 ? (
        <ol className="rota-list" aria-label={s.rotaOrder}>
          {value.map((p, i) => (
            <li key={p.value}>
              <span className="rota-name">{p.label}</span>
              <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} aria-label={s.moveUp(p.label)} title={s.moveUp(p.label)} onClick={() => move(i, -1)} />
              <Button
                size="small"
                type="text"
                icon={<ArrowDownOutlined />}
                disabled={i === value.length - 1}
                aria-label={s.moveDown(p.label)}
                title={s.moveDown(p.label)}
                onClick={() => move(i, 1)}
              />
            </li>
          ))}
        </ol>
      ) : null}
    </>
  );
}

interface SeriesValues {
  title: string;
  mode: StudyMode;
  topicId?: string | null;
  orgUnitId: string;
  startsOn: Dayjs;
  endsOn: Dayjs;
  startTime: Dayjs;
  minutes: number;
  place?: string;
  rotaPersonIds: PersonOption[];
  targetUnitIds?: string[];
  targetPersonIds?: PersonOption[];
  hours: number;
}

/** 系列学习: one session a working day between two dates at the same time, speakers taking turns. */
export function SeriesFormDrawer({ open, campaignId, onClose, onSaved }: {
  open: boolean;
  campaignId: string;
  onClose: () => void;
  /** With the new series' id (its rota opens next). */
  onSaved: (id: string) => void;
}) {
  const s = st.series;
  const me = useMe();
  const invalidate = useInvalidate();
  const start = today();
  return (
    <FormDrawer<SeriesValues, { id: string; sessions: number }>
      name="study-series"
      open={open}
      title={s.createTitle}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      savedMessage={(r) => s.created(r.sessions)}
      errorAlias={{ ...byPosition('rotaPersonIds', 200), ...ACTIVITY_ALIAS }}
      initialValues={{
        title: s.titleDefault,
        mode: 'sharing',
        orgUnitId: me.orgUnit?.id,
        startsOn: start,
        endsOn: start.add(1, 'month'),
        startTime: dayjs('2000-01-01 08:20'),
        minutes: 10,
        hours: 0.5,
        rotaPersonIds: [],
        targetUnitIds: me.orgUnit ? [me.orgUnit.id] : [],
        targetPersonIds: [],
      }}
      onSubmit={(v) =>
        api.post<{ id: string; sessions: number }>(SERIES_KEY, {
          title: v.title.trim(),
          mode: v.mode,
          campaignId,
          topicId: v.topicId || null,
          orgUnitId: v.orgUnitId,
          startsOn: apiDate(v.startsOn),
          endsOn: apiDate(v.endsOn),
          startTime: v.startTime.format('HH:mm'),
          minutes: v.minutes,
          place: v.place?.trim() || null,
          rotaPersonIds: v.rotaPersonIds.map((p) => p.value),
          targetUnitIds: v.targetUnitIds ?? [],
          targetPersonIds: (v.targetPersonIds ?? []).map((p) => p.value),
          hours: v.hours,
        })
      }
      onSaved={(r) => {
        void invalidate(ACTIVITIES_KEY, MY_ACTIVITIES_KEY, STATS_KEY);
        onSaved(r.id);
      }}
    >
      <p className="notice info">{s.intro}</p>
      <Form.Item name="title" label={s.title} rules={[{ required: true, whitespace: true, message: s.titleRequired }, atLeast(2, f.titleMin), atMost(80)]}>
        <Input showCount maxLength={80} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="mode" label={s.mode} rules={[{ required: true, message: f.modeRequired }]}>
            <Select options={labelOptions(STUDY_MODES)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="topicId" label={f.topic} extra={f.topicHelp}>
            <TopicSelect campaignId={campaignId} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="startsOn" label={s.startsOn} rules={[{ required: true, message: s.datesRequired }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="endsOn"
            label={s.endsOn}
            dependencies={['startsOn']}
            rules={[
              { required: true, message: s.datesRequired },
              ({ getFieldValue }) => ({
                validator: async (_, v?: Dayjs | null) => {
                  const from = getFieldValue('startsOn') as Dayjs | null | undefined;
                  if (v && from && v.isBefore(from, 'day')) throw new Error(s.endBeforeStart);
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={12} md={8}>
          <Form.Item name="startTime" label={s.startTime} extra={f.timeHelp} rules={[{ required: true, message: s.startTimeRequired }]}>
            <TimePicker format="HH:mm" minuteStep={5} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="minutes" label={s.minutes} rules={[{ required: true, message: s.minutesRequired }]}>
            <InputNumber min={5} max={480} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="hours" label={f.hours} rules={[{ required: true, message: f.hoursRequired }, hoursRule]}>
            <InputNumber min={0} max={24} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="orgUnitId" label={f.orgUnit} rules={[{ required: true, message: f.orgUnitRequired }]}>
            <OrgTreeSelect onlyInScope />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="place" label={s.place} rules={[atMost(200)]}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="rotaPersonIds" label={s.rota} extra={s.rotaHelp} rules={[{ required: true, type: 'array', min: 1, message: s.rotaRequired }]}>
        <RotaField />
      </Form.Item>
      <TargetFields />
    </FormDrawer>
  );
}
