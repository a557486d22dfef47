// 座谈会: meetings with the public — date, host, attendees (our people and outside representatives),
// minutes, and the opinions raised there (each one becomes an opinion with channel 座谈会 and gets a
// receipt code, shown once after saving).
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import {
  App, Button, Card, Col, DatePicker, Descriptions, Drawer, Empty, Flex, Form, Input, Modal, Radio, Result, Row, Select, Skeleton, Space,
  Table, Tag, Typography,
} from 'antd';
import type { FormInstance, TableColumnsType } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { api, qs, type Page } from '../../api.js';
import { useCan, useMe } from '../../auth/useMe.js';
import { PageHeader } from '../../components/PageHeader.js';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.js';
import { useTable } from '../../components/useTable.js';
import { formatDate } from '../../components/format.js';
import { t } from '../../i18n.js';
import { IDENTITY, MAX_CONTENT } from '../../../../shared/schemas/opinions.js';
import { isValidPhone } from '../../../../shared/validators.js';
import { ot } from './i18n.js';
import { ReceiptModal, StatusTag, useCategories, useFormError, useInvalidateOpinions, type Receipt } from './shared.js';

const y = ot.symposium;
const KEY = '/api/symposiums';

interface SymposiumRow {
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

/** People of the bureau, found by name or police number as one types. */
function PersonSearchSelect({ value, onChange, id }: { value?: { value: string; label: string }[]; onChange?: (v: { value: string; label: string }[]) => void; id?: string }) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const search = (text: string) => {
    clearTimeout(timer.current);
    const q = text.trim();
    if (!q) return;
    timer.current = setTimeout(async () => {
      setLoading(true);
      try {
        const page = await api.get<Page<{ id: string; name: string; orgUnitName: string | null; policeNo: string | null }>>(
          `/api/people${qs({ q, pageSize: 20 })}`,
        );
        setOptions(page.items.map((p) => ({ value: p.id, label: p.orgUnitName ? `${p.name}（${p.orgUnitName}）` : p.name })));
      } catch {
        setOptions([]);
      } finally {
        setLoading(false);
      }
    }, 300);
  };
  return (
    <Select
      id={id}
      mode="multiple"
      labelInValue
      value={value}
      onChange={(v) => onChange?.(v as { value: string; label: string }[])}
      options={options}
      loading={loading}
      placeholder={y.internalHelp}
      showSearch={{ filterOption: false, onSearch: search }}
      notFoundContent={loading ? ot.detail.loading : null}
    />
  );
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

function CreateDrawer({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string, receipts: Receipt[]) => void }) {
  const me = useMe();
  const [form] = Form.useForm<CreateForm>();
  const showError = useFormError();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);

  const submit = async (v: CreateForm) => {
    if (!v.internal?.length && !(v.externals ?? []).some((x) => x?.name?.trim())) {
      message.warning(y.atLeastOneAttendee);
      return;
    }
    setBusy(true);
    try {
      const r = await api.post<{ id: string; opinions: Receipt[] }>(KEY, {
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
      onCreated(r.id, receiptsOf(r));
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      title={y.add}
      size={Math.min(760, window.innerWidth)}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{ot.common.cancel}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()}>
            {t.common.save}
          </Button>
        </Flex>
      }
    >
      <Form<CreateForm>
        form={form}
        name="symposium"
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        preserve={false}
        initialValues={{ orgUnitId: me.orgUnit?.id, heldOn: dayjs(formatDate(new Date().toISOString())), opinions: [{ identity: 'anonymous' }] }}
      >
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
          <PersonSearchSelect />
        </Form.Item>
        <Form.Item label={y.external}>
          <Form.List name="externals">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="start">
                    <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: t.common.enter(y.externalName) }, { max: 30 }]} style={{ flex: 1, marginBottom: 0 }}>
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
      </Form>
    </Drawer>
  );
}

function AddOpinionsModal({ symposiumId, onClose, onAdded }: { symposiumId: string | null; onClose: () => void; onAdded: (receipts: Receipt[]) => void }) {
  const [form] = Form.useForm<{ opinions: OpinionInputRow[] }>();
  const showError = useFormError();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { opinions: OpinionInputRow[] }) => {
    const opinions = toOpinions(v.opinions);
    if (!opinions.length) {
      message.warning(y.atLeastOneOpinion);
      return;
    }
    setBusy(true);
    try {
      const r = await api.post(`${KEY}/${symposiumId}/opinions`, { opinions });
      onAdded(receiptsOf(r));
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={symposiumId !== null}
      title={y.addOpinionsTitle}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: busy }}
      width={680}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} disabled={busy} preserve={false} initialValues={{ opinions: [{ identity: 'anonymous' }] }}>
        <OpinionRows form={form} />
      </Form>
    </Modal>
  );
}

function DetailDrawer({ id, onClose, onAddOpinions }: { id: string | null; onClose: () => void; onAddOpinions: (id: string) => void }) {
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
        <Result status="warning" title={t.common.loadFailed} subTitle={(query.error as Error).message} />
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
              <Table
                size="small"
                rowKey="id"
                pagination={false}
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

export default function SymposiumsPage() {
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const invalidateOpinions = useInvalidateOpinions();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [detailId, setDetailId] = useState<string | null>(null);
  const [addingTo, setAddingTo] = useState<string | null>(null);
  const [receipts, setReceipts] = useState<Receipt[] | null>(null);
  const { tableProps } = useTable<SymposiumRow>(KEY, { q: q.trim() || undefined });
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: [KEY] }), invalidateOpinions()]);

  const columns: TableColumnsType<SymposiumRow> = [
    {
      title: y.name,
      dataIndex: 'title',
      render: (v: string, r) => (
        <Typography.Link
          onClick={(e) => {
            e.stopPropagation();
            setDetailId(r.id);
          }}
        >
          {v}
        </Typography.Link>
      ),
    },
    { title: y.heldOn, dataIndex: 'heldOn', render: (v: string) => formatDate(v) },
    { title: y.host, dataIndex: 'host' },
    { title: y.location, dataIndex: 'location', render: (v: string | null) => v ?? ot.common.none },
    { title: y.orgUnit, dataIndex: 'orgUnitName', render: (v: string | null) => v ?? ot.common.none },
    { title: y.attendeeCount, dataIndex: 'attendeeCount', align: 'right' },
    { title: y.opinionCount, dataIndex: 'opinionCount', align: 'right' },
  ];

  return (
    <>
      <PageHeader
        title={y.title}
        subTitle={y.subTitle}
        extra={
          can('symposiums:write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {y.add}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        <Space style={{ marginBottom: 12 }} role="search">
          <Input.Search allowClear placeholder={y.q} aria-label={y.q} onSearch={setQ} enterButton={t.common.search} style={{ width: 320 }} />
        </Space>
        <Table<SymposiumRow>
          {...tableProps}
          columns={columns}
          size="middle"
          onRow={(r) => ({ onClick: () => setDetailId(r.id), style: { cursor: 'pointer' } })}
        />
      </Card>
      <CreateDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id, list) => {
          setCreating(false);
          message.success(y.created);
          void refresh();
          setDetailId(id);
          if (list.length) setReceipts(list);
        }}
      />
      <DetailDrawer id={detailId} onClose={() => setDetailId(null)} onAddOpinions={setAddingTo} />
      <AddOpinionsModal
        symposiumId={addingTo}
        onClose={() => setAddingTo(null)}
        onAdded={(list) => {
          setAddingTo(null);
          message.success(y.opinionsAdded(list.length));
          void refresh();
          if (list.length) setReceipts(list);
        }}
      />
      <ReceiptModal receipts={receipts} title={y.receiptsTitle} onClose={() => setReceipts(null)} />
    </>
  );
}
