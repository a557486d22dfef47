// 民主生活会's drawers, loaded when first opened: one meeting (attendees, the problems found and the
// ledger item each became) and 记录民主生活会, whose every problem becomes a ledger item as it is saved.
import { Link } from 'react-router';
import { Button, Card, Col, DatePicker, Descriptions, Drawer, Empty, Flex, Form, Input, Row, Select, Skeleton, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { api } from '../../api.js';
import { useCan, useMe } from '../../auth/useMe.js';
import { DataTable } from '../../components/DataTable.js';
import { apiDate, atLeast, atMost, labelOptions, today } from '../../components/formParts.js';
import { formatDate } from '../../components/format.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect, type PersonOption } from '../../components/PersonSelect.js';
import { talks as tt } from '../../i18n/index.js';
import { ITEM_STATUS } from '../../../../shared/schemas/rectification-labels.js';
import { PROBLEM_KINDS, type ProblemKind } from '../../../../shared/schemas/talk-labels.js';
import { MEETINGS_KEY, type MeetingDetail } from './shared.js';

const m = tt.meetings;
const f = tt.meetingForm;
const none = tt.common.none;

type Problem = MeetingDetail['problems'][number];

export function DetailDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const can = useCan();
  const query = useQuery({ queryKey: [MEETINGS_KEY, 'detail', id], queryFn: () => api.get<MeetingDetail>(`${MEETINGS_KEY}/${id}`), enabled: Boolean(id) });
  const mt = query.data;
  const readsLedger = can('rectification:read');
  return (
    <Drawer open={Boolean(id)} title={mt ? mt.title : m.detailTitle} size={Math.min(900, window.innerWidth)} onClose={onClose} destroyOnHidden>
      {query.isError ? (
        <LoadFailed error={query.error} onRetry={() => void query.refetch()} />
      ) : !mt ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'heldOn', label: m.heldOn, children: formatDate(mt.heldOn) },
              { key: 'host', label: m.host, children: mt.host },
              { key: 'location', label: m.location, children: mt.location ?? none },
            ]}
          />
          <Card size="small" title={<h2 className="card-heading">{m.summary}</h2>}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{mt.summary || none}</Typography.Paragraph>
          </Card>
          <Card size="small" title={<h2 className="card-heading">{`${m.attendees}（${mt.attendees.length}）`}</h2>}>
            {mt.attendees.length ? (
              <Flex gap={4} wrap>
                {mt.attendees.map((a) => (
                  <Tag key={a.id}>{a.name}</Tag>
                ))}
              </Flex>
            ) : (
              <Typography.Text type="secondary">{m.noAttendees}</Typography.Text>
            )}
          </Card>
          <Card size="small" title={<h2 className="card-heading">{`${m.problems}（${mt.problems.length}）`}</h2>}>
            {mt.problems.length ? (
              <DataTable<Problem>
                size="small"
                caption={m.problems}
                dataSource={mt.problems}
                minWidth={720}
                columns={[
                  { title: m.kind, dataIndex: 'kindLabel', width: 84 },
                  { title: m.description, dataIndex: 'description' },
                  { title: m.person, dataIndex: 'personName', width: 84, render: (v: string | null) => v ?? none },
                  {
                    title: m.ledger,
                    key: 'ledger',
                    width: 110,
                    render: (_: unknown, p) =>
                      !p.item ? (
                        m.notInLedger
                      ) : readsLedger ? (
                        // The ledger opens the item from ?id=.
                        <Link to={`/rectification?id=${p.item.id}`}>{m.ledgerNo(p.item.seq)}</Link>
                      ) : (
                        m.ledgerNo(p.item.seq)
                      ),
                  },
                  { title: m.deadline, key: 'deadline', width: 104, render: (_: unknown, p) => formatDate(p.item?.deadline) },
                  {
                    title: m.progress,
                    key: 'progress',
                    width: 120,
                    render: (_: unknown, p) => (p.item ? `${ITEM_STATUS[p.item.status] ?? p.item.status} ${m.percent(p.item.progress)}` : none),
                  },
                ]}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={m.noProblems} />
            )}
          </Card>
        </Flex>
      )}
    </Drawer>
  );
}

interface ProblemValues {
  kind: ProblemKind;
  personId?: PersonOption;
  description: string;
  measures?: string;
  deadline?: Dayjs | null;
  orgUnitId?: string | null;
}
interface MeetingValues {
  campaignId: string;
  orgUnitId: string;
  title: string;
  heldOn: Dayjs;
  host: string;
  location?: string;
  summary?: string;
  attendeePersonIds: PersonOption[];
  problems?: ProblemValues[];
}

/**
 * The server names a refused attendee by position (attendeePersonIds.3), and a problem's ledger item
 * by the ledger's own field (problems.2.responsiblePersonId): both land on the field the user filled.
 */
const ERROR_ALIAS: Record<string, string> = Object.fromEntries([
  ...Array.from({ length: 200 }, (_, i) => [`attendeePersonIds.${i}`, 'attendeePersonIds']),
  ...Array.from({ length: 100 }, (_, i) => [`problems.${i}.responsiblePersonId`, `problems.${i}.personId`]),
]);

/** The problems found: a growing list, each with what the ledger item needs. */
function ProblemRows() {
  return (
    <Form.List name="problems">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              title={f.problemN(index + 1)}
              extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={f.removeProblem(index + 1)} onClick={() => remove(field.name)} />}
            >
              <Row gutter={12}>
                <Col xs={24} md={8}>
                  <Form.Item name={[field.name, 'kind']} label={f.kind} rules={[{ required: true, message: f.kindRequired }]}>
                    <Select options={labelOptions(PROBLEM_KINDS)} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={16}>
                  <Form.Item name={[field.name, 'personId']} label={f.person} extra={f.personHelp}>
                    <PersonSelect allowClear placeholder={tt.common.personPlaceholder} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item
                name={[field.name, 'description']}
                label={f.description}
                rules={[{ required: true, whitespace: true, message: f.descriptionRequired }, atLeast(5, f.descriptionMin), atMost(2000)]}
              >
                <Input.TextArea rows={2} showCount maxLength={2000} />
              </Form.Item>
              <Form.Item name={[field.name, 'measures']} label={f.measures} rules={[atMost(2000)]}>
                <Input.TextArea rows={2} showCount maxLength={2000} />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} md={10}>
                  <Form.Item
                    name={[field.name, 'deadline']}
                    label={f.deadline}
                    extra={f.deadlineHelp}
                    dependencies={['heldOn']}
                    rules={[
                      ({ getFieldValue }) => ({
                        validator: async (_, v?: Dayjs | null) => {
                          const held = getFieldValue('heldOn') as Dayjs | undefined;
                          if (v && held && v.isBefore(held, 'day')) throw new Error(f.deadlineBeforeMeeting);
                        },
                      }),
                    ]}
                  >
                    <DatePicker style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={14}>
                  <Form.Item name={[field.name, 'orgUnitId']} label={f.unit} extra={f.unitHelp}>
                    <OrgTreeSelect onlyInScope allowClear />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          ))}
          {fields.length < 100 ? (
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'found' })} block>
              {f.addProblem}
            </Button>
          ) : null}
        </Flex>
      )}
    </Form.List>
  );
}

export function CreateDrawer({ open, campaigns, campaignId, onClose, onSaved }: {
  open: boolean;
  campaigns: readonly { id: string; name: string }[];
  /** The campaign shown on the page: the form starts on it. */
  campaignId: string | null;
  onClose: () => void;
  /** With the new meeting's id. */
  onSaved: (id: string) => void;
}) {
  const me = useMe();
  return (
    <FormDrawer<MeetingValues, { id: string; itemIds: string[] }>
      name="life-meeting"
      open={open}
      title={f.title}
      width={Math.min(820, window.innerWidth)}
      onClose={onClose}
      savedMessage={(r) => f.created(r.itemIds.length)}
      errorAlias={ERROR_ALIAS}
      initialValues={{ campaignId: campaignId ?? undefined, orgUnitId: me.orgUnit?.id, heldOn: today(), attendeePersonIds: [], problems: [{ kind: 'found' }] }}
      onSubmit={(v) =>
        api.post<{ id: string; itemIds: string[] }>(MEETINGS_KEY, {
          campaignId: v.campaignId,
          orgUnitId: v.orgUnitId,
          title: v.title.trim(),
          heldOn: apiDate(v.heldOn),
          host: v.host.trim(),
          location: v.location?.trim() || null,
          summary: v.summary?.trim() || null,
          attendeePersonIds: v.attendeePersonIds.map((p) => p.value),
          problems: (v.problems ?? []).map((p) => ({
            kind: p.kind,
            personId: p.personId?.value ?? null,
            description: p.description.trim(),
            measures: p.measures?.trim() || null,
            deadline: apiDate(p.deadline),
            orgUnitId: p.orgUnitId || null,
          })),
        })
      }
      onSaved={(r) => onSaved(r.id)}
    >
      <p className="notice info" role="note">
        {f.ledgerNotice}
      </p>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="campaignId" label={f.campaign} rules={[{ required: true, message: f.campaignRequired }]}>
            <Select options={campaigns.map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="orgUnitId" label={f.orgUnit} rules={[{ required: true, message: f.orgUnitRequired }]}>
            <OrgTreeSelect onlyInScope />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="title" label={f.name} rules={[{ required: true, whitespace: true, message: f.nameRequired }, atLeast(4, f.nameMin), atMost(100)]}>
        <Input />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="heldOn" label={f.heldOn} rules={[{ required: true, message: f.heldOnRequired }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(v) => v.isAfter(today(), 'day')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="host" label={f.host} rules={[{ required: true, whitespace: true, message: f.hostRequired }, atLeast(2, f.hostMin), atMost(50)]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="location" label={f.location} rules={[atMost(100)]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="summary" label={f.summary} rules={[atMost(5000)]}>
        <Input.TextArea rows={3} showCount maxLength={5000} />
      </Form.Item>
      <Form.Item name="attendeePersonIds" label={f.attendees} rules={[{ required: true, type: 'array', min: 1, message: f.attendeesRequired }]}>
        <PersonSelect multiple placeholder={tt.common.personPlaceholder} />
      </Form.Item>
      <Typography.Title level={5}>{f.problems}</Typography.Title>
      <ProblemRows />
    </FormDrawer>
  );
}
