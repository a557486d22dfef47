// 便民利民措施's drawer and forms, loaded when first opened: one measure (its milestones, progress
// history and evidence), 新增/修改措施, 增加节点, 节点完成 and 报送进展. Field names are the API's, so a
// refusal naming a field (dueDate, orgUnitId, number…) lands on it.
import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Col, DatePicker, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, Progress, Row, Select, Skeleton, Tag, Timeline, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { DataTable } from '../../components/DataTable.js';
import { dayjs } from '../../components/dayjs.js';
import { FileLinks } from '../../components/FileLinks.js';
import { useFeedback } from '../../components/feedback.js';
import { apiDate, atLeast, atMost, labelOptions, today } from '../../components/formParts.js';
import { formatDate } from '../../components/format.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { UploadList, useUploads } from '../../components/Uploads.js';
import { common, service as st } from '../../i18n/index.js';
import { MEASURE_GROUPS, type MeasureGroup } from '../../../../shared/schemas/service-labels.js';
import { MEASURES_KEY, STATUS_COLOR, type MeasureDetail } from './shared.js';

const d = st.detail;
const none = st.common.none;
type Milestone = MeasureDetail['milestones'][number];

export function MeasureDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const can = useCan();
  const writes = can('service:write');
  const query = useQuery({ queryKey: [MEASURES_KEY, 'detail', id], queryFn: () => api.get<MeasureDetail>(`${MEASURES_KEY}/${id}`), enabled: Boolean(id) });
  const m = query.data && query.data.id === id ? query.data : undefined;
  const [form, setForm] = useState<'progress' | 'milestone' | 'edit' | null>(null);
  const [done, setDone] = useState<Milestone | null>(null);
  const changed = () => {
    void query.refetch();
    onChanged();
  };
  const { message } = useFeedback();
  const reopen = async (ms: Milestone) => {
    try {
      await api.patch(`/api/service/milestones/${ms.id}`, { doneOn: null });
      changed();
    } catch (err) {
      message.error(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Drawer open={Boolean(id)} title={m ? `${m.groupLabel} 第 ${m.number} 项：${m.title}` : d.loading} size={Math.min(900, window.innerWidth)} onClose={onClose} destroyOnHidden>
      {query.isError ? (
        <LoadFailed error={query.error} onRetry={() => void query.refetch()} />
      ) : !m ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          {writes ? (
            <Flex gap={8} wrap>
              <Button type="primary" onClick={() => setForm('progress')}>
                {d.report}
              </Button>
              <Button icon={<PlusOutlined />} onClick={() => setForm('milestone')}>
                {d.addMilestone}
              </Button>
              <Button onClick={() => setForm('edit')}>{d.edit}</Button>
            </Flex>
          ) : null}
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'group', label: d.group, children: m.groupLabel },
              { key: 'unit', label: d.unit, children: m.orgUnitName },
              { key: 'owner', label: d.owner, children: m.ownerName ?? none },
              { key: 'dates', label: d.dates, children: `${formatDate(m.startDate) || none} 至 ${m.dueDate ? formatDate(m.dueDate) : st.measures.longTerm}` },
              { key: 'status', label: d.status, children: <Tag color={STATUS_COLOR[m.status]}>{m.statusLabel}</Tag> },
              { key: 'progress', label: d.progress, children: <Progress percent={m.progress} size="small" aria-label={`${d.progress} ${m.progress}%`} /> },
              { key: 'public', label: st.measures.public, children: m.isPublic ? st.measures.isPublic : st.measures.notPublic },
            ]}
          />
          {m.isPublic ? <Typography.Text type="secondary">{d.publicNote}</Typography.Text> : null}
          <Card size="small" title={<h2 className="card-heading">{d.description}</h2>}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{m.description || none}</Typography.Paragraph>
          </Card>
          <Card size="small" title={<h2 className="card-heading">{`${d.milestones}（${m.milestones.length}）`}</h2>}>
            {m.milestones.length ? (
              <DataTable<Milestone>
                size="small"
                caption={d.milestones}
                rowKey="id"
                dataSource={m.milestones}
                minWidth={600}
                columns={[
                  { title: d.milestoneTitle, dataIndex: 'title' },
                  { title: d.milestoneDue, dataIndex: 'dueDate', width: 110, render: (v: string | null) => formatDate(v) || none },
                  {
                    title: d.milestoneDone,
                    dataIndex: 'doneOn',
                    width: 120,
                    render: (v: string | null, r) => (v ? formatDate(v) : r.overdue ? <Tag color="red">{d.milestoneOverdue}</Tag> : none),
                  },
                  { title: d.evidence, dataIndex: 'files', render: (f: Milestone['files']) => (f.length ? <FileLinks files={f} label={d.evidence} /> : none) },
                  ...(writes
                    ? [
                        {
                          title: common.actions,
                          key: 'actions',
                          width: 90,
                          render: (_: unknown, r: Milestone) =>
                            r.doneOn ? (
                              <button type="button" className="link-action" aria-label={d.reopenOf(r.title)} onClick={() => void reopen(r)}>
                                {d.reopen}
                              </button>
                            ) : (
                              <button type="button" className="link-action" aria-label={d.markDoneOf(r.title)} onClick={() => setDone(r)}>
                                {d.markDone}
                              </button>
                            ),
                        },
                      ]
                    : []),
                ]}
              />
            ) : (
              <Empty description={d.noMilestones} />
            )}
          </Card>
          <Card size="small" title={<h2 className="card-heading">{`${d.history}（${m.progressReports.length}）`}</h2>}>
            {m.progressReports.length ? (
              <Timeline
                items={m.progressReports.map((p) => ({
                  key: p.id,
                  children: (
                    <div data-testid="progress-report">
                      <strong>{formatDate(p.reportedOn)}</strong> · {st.common.percent(p.percent)}
                      {p.reporter ? <span className="text-secondary"> · {p.reporter}</span> : null}
                      <div style={{ whiteSpace: 'pre-wrap' }}>{p.note}</div>
                      {p.files.length ? <FileLinks files={p.files} label={d.evidence} /> : null}
                    </div>
                  ),
                }))}
              />
            ) : (
              <Empty description={d.noHistory} />
            )}
          </Card>
        </Flex>
      )}
      {m ? (
        <>
          <ProgressModal measure={m} open={form === 'progress'} onClose={() => setForm(null)} onSaved={() => { setForm(null); changed(); }} />
          <MilestoneModal measure={m} open={form === 'milestone'} onClose={() => setForm(null)} onSaved={() => { setForm(null); changed(); }} />
          <MeasureForm measure={m} open={form === 'edit'} onClose={() => setForm(null)} onSaved={() => { setForm(null); changed(); }} />
          <DoneModal milestone={done} onClose={() => setDone(null)} onSaved={() => { setDone(null); changed(); }} />
        </>
      ) : null}
    </Drawer>
  );
}

interface MeasureValues {
  group: MeasureGroup;
  number: number;
  title: string;
  description?: string;
  orgUnitId: string;
  ownerPersonId?: PersonOption | null;
  startDate?: Dayjs | null;
  dueDate?: Dayjs | null;
  isPublic?: boolean;
  milestones?: string;
}

/** "节点名称 2021-06-30" per line → {title, dueDate}. */
function parseMilestones(text: string | undefined) {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(.*?)[\s，,]+(\d{4}-\d{2}-\d{2})$/.exec(l);
      return m ? { title: m[1]!.trim(), dueDate: m[2]! } : { title: l, dueDate: null };
    });
}

/** 新增措施, or 修改 one (`measure`). */
export function MeasureForm({ measure, open, onClose, onSaved }: { measure?: MeasureDetail; open: boolean; onClose: () => void; onSaved: (id: string) => void }) {
  const f = st.measureForm;
  const initialValues: Partial<MeasureValues> = measure
    ? {
        group: measure.group as MeasureGroup,
        number: measure.number,
        title: measure.title,
        description: measure.description ?? undefined,
        orgUnitId: measure.orgUnitId,
        ownerPersonId: measure.ownerPersonId ? { value: measure.ownerPersonId, label: measure.ownerName ?? '' } : null,
        startDate: measure.startDate ? dayjs(measure.startDate) : null,
        dueDate: measure.dueDate ? dayjs(measure.dueDate) : null,
        isPublic: measure.isPublic,
      }
    : { group: 'convenience', isPublic: true };
  return (
    <FormDrawer<MeasureValues, { id: string }>
      name="service-measure"
      open={open}
      title={measure ? f.editTitle : f.title}
      width={Math.min(720, window.innerWidth)}
      onClose={onClose}
      savedMessage={measure ? f.updated : f.created}
      initialValues={initialValues}
      onSubmit={(v) => {
        const body = {
          group: v.group,
          number: v.number,
          title: v.title.trim(),
          description: v.description?.trim() || null,
          orgUnitId: v.orgUnitId,
          ownerPersonId: v.ownerPersonId?.value ?? null,
          startDate: apiDate(v.startDate),
          dueDate: apiDate(v.dueDate),
          isPublic: Boolean(v.isPublic),
        };
        return measure ? api.patch<{ id: string }>(`${MEASURES_KEY}/${measure.id}`, body) : api.post<{ id: string }>(MEASURES_KEY, { ...body, milestones: parseMilestones(v.milestones) });
      }}
      onSaved={(r) => onSaved(r.id)}
    >
      <Row gutter={12}>
        <Col xs={24} md={16}>
          <Form.Item name="group" label={f.group} rules={[{ required: true, message: f.groupRequired }]}>
            <Select options={labelOptions(MEASURE_GROUPS)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="number" label={f.number} rules={[{ required: true, message: f.numberRequired }]}>
            <InputNumber min={1} max={999} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="title" label={f.title_} rules={[{ required: true, whitespace: true, message: f.titleRequired }, atLeast(2, f.titleMin), atMost(100)]}>
        <Input />
      </Form.Item>
      <Form.Item name="description" label={f.description} rules={[atMost(5000)]}>
        <Input.TextArea rows={3} showCount maxLength={5000} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="orgUnitId" label={f.unit} rules={[{ required: true, message: f.unitRequired }]}>
            <OrgTreeSelect onlyInScope />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="ownerPersonId" label={f.owner}>
            <PersonSelect allowClear />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="startDate" label={f.startDate}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="dueDate"
            label={f.dueDate}
            dependencies={['startDate']}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, v?: Dayjs | null) => {
                  const start = getFieldValue('startDate') as Dayjs | null | undefined;
                  if (v && start && v.isBefore(start, 'day')) throw new Error(f.dueBeforeStart);
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="isPublic" valuePropName="checked">
        <Checkbox>{f.isPublic}</Checkbox>
      </Form.Item>
      {measure ? null : (
        <Form.Item name="milestones" label={f.milestones} extra={f.milestonesHelp} rules={[atMost(3000)]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      )}
    </FormDrawer>
  );
}

function MilestoneModal({ measure, open, onClose, onSaved }: { measure: MeasureDetail; open: boolean; onClose: () => void; onSaved: () => void }) {
  const f = st.milestoneForm;
  return (
    <FormDrawer<{ title: string; dueDate?: Dayjs | null }>
      as="modal"
      name="service-milestone"
      width={520}
      open={open}
      title={f.title}
      onClose={onClose}
      savedMessage={f.created}
      onSubmit={(v) => api.post(`${MEASURES_KEY}/${measure.id}/milestones`, { title: v.title.trim(), dueDate: apiDate(v.dueDate) })}
      onSaved={onSaved}
    >
      <Form.Item name="title" label={f.name} rules={[{ required: true, whitespace: true, message: f.nameRequired }, atLeast(2, st.measureForm.titleMin), atMost(100)]}>
        <Input />
      </Form.Item>
      <Form.Item name="dueDate" label={f.due}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </FormDrawer>
  );
}

function DoneModal({ milestone, onClose, onSaved }: { milestone: Milestone | null; onClose: () => void; onSaved: () => void }) {
  const f = st.doneForm;
  const uploads = useUploads(20);
  const { reset } = uploads;
  const open = Boolean(milestone);
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  return (
    <FormDrawer<{ doneOn: Dayjs }>
      as="modal"
      name="service-milestone-done"
      width={560}
      open={open}
      title={f.title(milestone?.title ?? '')}
      onClose={onClose}
      savedMessage={f.saved}
      initialValues={{ doneOn: today() }}
      onSubmit={(v) => {
        if (uploads.uploading) throw new Error(common.uploading);
        return api.patch(`/api/service/milestones/${milestone!.id}`, { doneOn: apiDate(v.doneOn), attachmentIds: uploads.ids });
      }}
      onSaved={onSaved}
    >
      <Form.Item name="doneOn" label={f.doneOn} rules={[{ required: true, message: f.doneOnRequired }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(v) => v.isAfter(today(), 'day')} />
      </Form.Item>
      <Form.Item label={f.evidence} htmlFor="milestone-evidence" extra={f.evidenceHelp}>
        <input id="milestone-evidence" type="file" multiple accept="image/*,.pdf" disabled={uploads.full} onChange={(e) => uploads.add(e.target)} />
        <UploadList uploads={uploads} label={f.evidence} />
      </Form.Item>
    </FormDrawer>
  );
}

function ProgressModal({ measure, open, onClose, onSaved }: { measure: MeasureDetail; open: boolean; onClose: () => void; onSaved: () => void }) {
  const f = st.progressForm;
  const uploads = useUploads(20);
  const { reset } = uploads;
  useEffect(() => {
    if (open) reset();
  }, [open, reset]);
  return (
    <FormDrawer<{ reportedOn: Dayjs; percent: number; note: string }>
      as="modal"
      name="service-progress"
      width={620}
      open={open}
      title={f.title(measure.title)}
      onClose={onClose}
      savedMessage={f.saved}
      initialValues={{ reportedOn: today(), percent: measure.progress }}
      onSubmit={(v) => {
        if (uploads.uploading) throw new Error(common.uploading);
        return api.post(`${MEASURES_KEY}/${measure.id}/progress`, { reportedOn: apiDate(v.reportedOn), percent: v.percent, note: v.note.trim(), attachmentIds: uploads.ids });
      }}
      onSaved={onSaved}
    >
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="reportedOn" label={f.reportedOn} rules={[{ required: true, message: f.reportedOnRequired }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(v) => v.isAfter(today(), 'day')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="percent" label={f.percent} rules={[{ required: true, message: f.percentRequired }, { type: 'integer', min: 0, max: 100, message: f.percentRange }]}>
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={f.note} rules={[{ required: true, whitespace: true, message: f.noteRequired }, atLeast(5, f.noteMin), atMost(2000)]}>
        <Input.TextArea rows={4} showCount maxLength={2000} />
      </Form.Item>
      <Form.Item label={f.evidence} htmlFor="service-evidence" extra={f.evidenceHelp}>
        <input id="service-evidence" type="file" multiple accept="image/*,.pdf" disabled={uploads.full} onChange={(e) => uploads.add(e.target)} />
        <UploadList uploads={uploads} label={f.evidence} />
      </Form.Item>
    </FormDrawer>
  );
}
