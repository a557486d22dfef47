// 座谈会's drawers and dialogs (new meeting, details, more opinions), loaded when first opened.
// 座谈会: meetings with the public — date, host, attendees (our people and outside representatives),
// minutes, and the opinions raised there (each one becomes an opinion with channel 座谈会 and gets a
// receipt code, shown once after saving).
import { Link } from 'react-router';
import {
  Button, Card, Col, DatePicker, Descriptions, Drawer, Empty, Flex, Form, Input, Modal, Radio, Row, Select, Skeleton, Space,
  Tag, Typography,
} from 'antd';
import { useFeedback } from '../../components/feedback.js';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { dayjs } from '../../components/dayjs.js';
import { api } from '../../api.js';
import { useCan, useMe } from '../../auth/useMe.js';
import { FormDrawer } from '../../components/FormDrawer.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import { DataTable, type Columns } from '../../components/DataTable.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { PersonSelect } from '../../components/PersonSelect.js';
import { formatDate } from '../../components/format.js';
import { IDENTITY, MAX_CONTENT } from '../../../../shared/schemas/opinions.js';
import { isValidPhone } from '../../../../shared/validators.js';
import { useApiError } from '../../components/useApiError.js';
import { common, opinions as ot } from '../../i18n/index.js';
import { StatusTag, useCategories, useInvalidateOpinions, type Receipt } from './shared.js';

const y = ot.symposium;
const KEY = '/api/symposiums';

export interface SymposiumRow {
  id: string;
  title: string;
  heldOn: string;
  host: string;
  location: string | null;
  orgUnitId: string;
  orgUnitName: string | null;
  attendeeCount: number;
  opinionCount: number;
}
interface SymposiumDetail extends SymposiumRow {
  summary: string | null;
  attendees: { id: string; kind: 'internal' | 'external'; personId: string | null; name: string; organization: string | null }[];
  opinions: { id: string; publicNo: string; excerpt: string; status: string; category: string | null }[];
}
interface OpinionInputRow {
  content: string;
  category?: string;
  identity: 'named' | 'anonymous';
  name?: string;
  phone?: string;
}
interface CreateForm {
  title: string;
  heldOn: Dayjs;
  host: string;
  location?: string;
  orgUnitId: string;
  summary?: string;
  internal?: { value: string; label: string }[];
  externals?: { name: string; organization?: string }[];
  opinions?: OpinionInputRow[];
}

const identityOptions = Object.entries(IDENTITY).map(([value, label]) => ({ value, label }));

function toOpinions(rows: OpinionInputRow[] | undefined) {
  return (rows ?? [])
    .filter((r) => r?.content?.trim())
    .map((r) => ({
      content: r.content.trim(),
      ...(r.category ? { category: r.category } : {}),
      identity: r.identity,
      ...(r.identity === 'named' ? { name: r.name?.trim(), ...(r.phone?.trim() ? { phone: r.phone.trim() } : {}) } : {}),
    }));
}

/** Receipts from the server: {opinions:[…]} (create) or the list itself (add later). */
function receiptsOf(r: unknown): Receipt[] {
  const list = Array.isArray(r) ? r : ((r as { opinions?: unknown[]; items?: unknown[] })?.opinions ?? (r as { items?: unknown[] })?.items ?? []);
  return (list as Receipt[]).filter((x) => x?.publicNo && x?.receiptCode);
}

/** The opinions raised at the meeting: a growing list of rows. */
function OpinionRows({ form, name = 'opinions' }: { form: FormInstance; name?: string }) {
  const { categoryOptions } = useCategories();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={8}>
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              title={y.opinionN(index + 1)}
              extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={ot.common.remove} onClick={() => remove(field.name)} />}
            >
              <Form.Item
                name={[field.name, 'content']}
                label={y.opinionContent}
                rules={[
                  { required: true, whitespace: true, message: ot.entry.contentRequired },
                  { min: 5, message: ot.entry.contentMin },
                ]}
              >
                <Input.TextArea rows={3} showCount maxLength={MAX_CONTENT} />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item name={[field.name, 'category']} label={y.opinionCategory}>
                    <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={categoryOptions} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name={[field.name, 'identity']} label={y.opinionIdentity} rules={[{ required: true }]}>
                    <Radio.Group options={identityOptions} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item noStyle shouldUpdate={(a, b) => a?.[name]?.[field.name]?.identity !== b?.[name]?.[field.name]?.identity}>
                {() =>
                  form.getFieldValue([name, field.name, 'identity']) === 'named' ? (
                    <Row gutter={12}>
                      <Col xs={24} md={12}>
                        <Form.Item name={[field.name, 'name']} label={y.opinionName} rules={[{ required: true, whitespace: true, message: ot.entry.nameRequired }, { max: 30 }]}>
                          <Input autoComplete="off" />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={12}>
                        <Form.Item
                          name={[field.name, 'phone']}
                          label={y.opinionPhone}
                          extra={y.phoneOptional}
                          rules={[
                            {
                              validator: async (_, v?: string) => {
                                if (v && v.trim() && !isValidPhone(v)) throw new Error(ot.entry.phoneInvalid);
                              },
                            },
                          ]}
                        >
                          <Input inputMode="tel" autoComplete="off" />
                        </Form.Item>
                      </Col>
                    </Row>
                  ) : null
                }
              </Form.Item>
            </Card>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ identity: 'anonymous' })} block>
            {y.addOpinion}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

export function CreateDrawer({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string, receipts: Receipt[]) => void }) {
  const me = useMe();
  return (
    <FormDrawer<CreateForm, { id: string; opinions: Receipt[] }>
      name="symposium"
      open={open}
      title={y.add}
      width={Math.min(760, window.innerWidth)}
      onClose={onClose}
      savedMessage={y.created}
      initialValues={{ orgUnitId: me.orgUnit?.id, heldOn: dayjs(formatDate(new Date().toISOString())), opinions: [{ identity: 'anonymous' }] }}
      onSubmit={(v) => {
        if (!v.internal?.length && !(v.externals ?? []).some((x) => x?.name?.trim())) throw new Error(y.atLeastOneAttendee);
        return api.post<{ id: string; opinions: Receipt[] }>(KEY, {
          title: v.title.trim(),
          heldOn: v.heldOn.format('YYYY-MM-DD'),
          host: v.host.trim(),
          ...(v.location?.trim() ? { location: v.location.trim() } : {}),
          orgUnitId: v.orgUnitId,
          ...(v.summary?.trim() ? { summary: v.summary.trim() } : {}),
          attendees: [
            ...(v.internal ?? []).map((p) => ({ kind: 'internal' as const, personId: p.value })),
            ...(v.externals ?? [])
              .filter((x) => x?.name?.trim())
              .map((x) => ({ kind: 'external' as const, name: x.name.trim(), ...(x.organization?.trim() ? { organization: x.organization.trim() } : {}) })),
          ],
          opinions: toOpinions(v.opinions),
        });
      }}
      onSaved={(r) => onCreated(r.id, receiptsOf(r))}
    >
      {(form) => (
        <>
        <Form.Item name="title" label={y.name} rules={[{ required: true, whitespace: true, message: y.titleRequired }, { max: 200 }]}>
          <Input autoFocus />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="heldOn" label={y.heldOn} rules={[{ required: true, message: y.heldOnRequired }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="host" label={y.host} rules={[{ required: true, whitespace: true, message: y.hostRequired }, { max: 50 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="location" label={y.location} rules={[{ max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="orgUnitId" label={y.orgUnit} rules={[{ required: true, message: y.orgUnitRequired }]}>
          <OrgTreeSelect onlyInScope />
        </Form.Item>
        <Form.Item name="summary" label={y.summary} rules={[{ max: 10000 }]}>
          <Input.TextArea rows={4} showCount maxLength={10000} />
        </Form.Item>
        <Typography.Title level={5}>{y.attendees}</Typography.Title>
        <Form.Item name="internal" label={y.internal}>
          <PersonSelect multiple placeholder={y.internalHelp} />
        </Form.Item>
        <Form.Item label={y.external}>
          <Form.List name="externals">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="start">
                    <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: common.enter(y.externalName) }, { max: 30 }]} style={{ flex: 1, marginBottom: 0 }}>
                      <Input placeholder={y.externalName} aria-label={y.externalName} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'organization']} rules={[{ max: 100 }]} style={{ flex: 2, marginBottom: 0 }}>
                      <Input placeholder={y.externalOrg} aria-label={y.externalOrg} />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} aria-label={ot.common.remove} onClick={() => remove(field.name)} />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  {y.addExternal}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Typography.Title level={5}>{y.opinions}</Typography.Title>
        <OpinionRows form={form} />
        </>
      )}
    </FormDrawer>
  );
}

export function AddOpinionsModal({ symposiumId, onClose, onAdded }: { symposiumId: string | null; onClose: () => void; onAdded: (receipts: Receipt[]) => void }) {
  return (
    <FormDrawer<{ opinions: OpinionInputRow[] }>
      as="modal"
      width={680}
      open={symposiumId !== null}
      title={y.addOpinionsTitle}
      onClose={onClose}
      savedMessage={null}
      initialValues={{ opinions: [{ identity: 'anonymous' }] }}
      onSubmit={(v) => {
        const opinions = toOpinions(v.opinions);
        if (!opinions.length) throw new Error(y.atLeastOneOpinion);
        return api.post(`${KEY}/${symposiumId}/opinions`, { opinions });
      }}
      onSaved={(r) => onAdded(receiptsOf(r))}
    >
      {(form) => <OpinionRows form={form} />}
    </FormDrawer>
  );
}

export function DetailDrawer({ id, onClose, onAddOpinions }: { id: string | null; onClose: () => void; onAddOpinions: (id: string) => void }) {
  const can = useCan();
  const { categoryLabel } = useCategories();
  const query = useQuery({ queryKey: [KEY, 'detail', id], queryFn: () => api.get<SymposiumDetail>(`${KEY}/${id}`), enabled: Boolean(id) });
  const sy = query.data;
  const internal = sy?.attendees.filter((x) => x.kind === 'internal') ?? [];
  const external = sy?.attendees.filter((x) => x.kind === 'external') ?? [];
  const canOpen = can('opinions:read');
  return (
    <Drawer
      open={Boolean(id)}
      title={sy ? sy.title : y.detailTitle}
      size={Math.min(820, window.innerWidth)}
      onClose={onClose}
      destroyOnHidden
      extra={
        sy && can('symposiums:write') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => onAddOpinions(sy.id)}>
            {y.addOpinions}
          </Button>
        ) : null
      }
    >
      {query.isError ? (
        <LoadFailed error={query.error} />
      ) : !sy ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'heldOn', label: y.heldOn, children: formatDate(sy.heldOn) },
              { key: 'host', label: y.host, children: sy.host },
              { key: 'location', label: y.location, children: sy.location ?? ot.common.none },
              { key: 'unit', label: y.orgUnit, children: sy.orgUnitName ?? ot.common.none },
            ]}
          />
          <Card size="small" title={y.summary}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{sy.summary || ot.common.none}</Typography.Paragraph>
          </Card>
          <Card size="small" title={`${y.attendees}（${sy.attendees.length}）`}>
            {sy.attendees.length ? (
              <Flex vertical gap={8}>
                {internal.length ? (
                  <div>
                    <Typography.Text type="secondary">{y.internal}：</Typography.Text>
                    {internal.map((x) => (
                      <Tag key={x.id} color="blue">
                        {x.name}
                        {x.organization ? `（${x.organization}）` : ''}
                      </Tag>
                    ))}
                  </div>
                ) : null}
                {external.length ? (
                  <div>
                    <Typography.Text type="secondary">{y.external}：</Typography.Text>
                    {external.map((x) => (
                      <Tag key={x.id} color="gold">
                        {x.name}
                        {x.organization ? `（${x.organization}）` : ''}
                      </Tag>
                    ))}
                  </div>
                ) : null}
              </Flex>
            ) : (
              <Typography.Text type="secondary">{y.noAttendees}</Typography.Text>
            )}
          </Card>
          <Card size="small" title={`${y.opinions}（${sy.opinions.length}）`}>
            {sy.opinions.length ? (
              <DataTable<SymposiumDetail['opinions'][number]>
                size="small"
                caption={y.opinions}
                dataSource={sy.opinions}
                columns={[
                  {
                    title: ot.list.publicNo,
                    dataIndex: 'publicNo',
                    render: (v: string, r) => (canOpen ? <Link to={`/opinions?id=${r.id}`}>{v}</Link> : v),
                  },
                  { title: ot.list.excerpt, dataIndex: 'excerpt' },
                  { title: ot.list.category, dataIndex: 'category', render: (v: string | null) => categoryLabel(v) },
                  { title: ot.list.status, dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
                ]}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={y.noOpinions} />
            )}
          </Card>
        </Flex>
      )}
    </Drawer>
  );
}

