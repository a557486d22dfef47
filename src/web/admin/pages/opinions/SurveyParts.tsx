// 调查问卷's drawers (the builder, the results with their charts), loaded when first opened.
// 调查问卷: design a questionnaire (single / multiple choice, 1–5 rating, free text), publish it for
// anonymous answers through a public link, close it, and read the results as charts; export answers.
import { useMemo, useState } from 'react';
import {
  Button, Card, Col, Drawer, Empty, Flex, Form, Input, List, Popconfirm, Row, Segmented, Select, Skeleton, Space, Statistic,
  Switch, Table, Tag, Tooltip, Typography,
} from 'antd';
import { useFeedback } from '../../components/feedback.js';
import type { FormInstance } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, download } from '../../api.js';
import { useCan } from '../../auth/useMe.js';
import { LoadFailed } from '../../components/LoadFailed.js';
import type { Columns } from '../../components/DataTable.js';
import { useApiError } from '../../components/useApiError.js';
import { formatTime } from '../../components/format.js';
import { QUESTION_KINDS, SURVEY_STATUS } from '../../../../shared/schemas/surveys.js';
import { common, opinions as ot } from '../../i18n/index.js';
import { Chart } from './Chart.js';

const v = ot.survey;
const KEY = '/api/surveys';

type Kind = 'single' | 'multiple' | 'rating' | 'text';
export type Status = 'draft' | 'published' | 'closed';
const CHOICE: Kind[] = ['single', 'multiple'];

export interface SurveyRow {
  id: string;
  title: string;
  status: Status;
  onePerDevice: boolean;
  questionCount: number;
  responseCount: number;
  publishedAt: string | null;
  closedAt: string | null;
  createdAt: string;
}
interface QuestionInput {
  kind: Kind;
  title: string;
  options?: string[];
  required: boolean;
}
interface SurveyDetail {
  id: string;
  title: string;
  description: string | null;
  onePerDevice: boolean;
  status: Status;
  questions: (QuestionInput & { id?: string })[];
}
interface QuestionResult {
  id: string;
  kind: Kind;
  title: string;
  options: string[] | null;
  answered: number;
  counts?: unknown;
  distribution?: unknown;
  average?: number | null;
  texts?: unknown[];
}
interface Results {
  responses: number;
  questions: QuestionResult[];
}

export const STATUS_COLOR: Record<Status, string> = { draft: 'default', published: 'green', closed: 'red' };
export const publicUrl = (id: string) => `${window.location.origin}/public/surveys/${id}`;

/** Counts per option, whichever shape the server chose: [n,…] by option, {option: n}, or [{option|label, count}]. */
function countsFor(q: QuestionResult): { label: string; count: number }[] {
  const opts = q.options ?? [];
  const c = q.counts;
  if (Array.isArray(c)) {
    if (c.every((x) => typeof x === 'number')) return opts.map((o, i) => ({ label: o, count: Number(c[i] ?? 0) }));
    return c.map((x: any, i) => ({ label: String(x?.option ?? x?.label ?? opts[i] ?? i + 1), count: Number(x?.count ?? x?.n ?? 0) }));
  }
  if (c && typeof c === 'object') {
    const rec = c as Record<string, number>;
    const keys = opts.length ? opts : Object.keys(rec);
    return keys.map((o, i) => ({ label: o, count: Number(rec[o] ?? rec[String(i)] ?? 0) }));
  }
  return opts.map((o) => ({ label: o, count: 0 }));
}

/** Ratings 1–5: [n1,…,n5], {"1": n, …}, or [{score, count}]. */
function distributionFor(q: QuestionResult): { score: number; count: number }[] {
  const d = q.distribution;
  const out = [1, 2, 3, 4, 5].map((score) => ({ score, count: 0 }));
  if (Array.isArray(d)) {
    d.forEach((x: any, i) => {
      if (typeof x === 'number') out[i] && (out[i].count = x);
      else if (x && out[Number(x.score ?? x.value) - 1]) out[Number(x.score ?? x.value) - 1]!.count = Number(x.count ?? x.n ?? 0);
    });
  } else if (d && typeof d === 'object') {
    for (const [k, n] of Object.entries(d as Record<string, number>)) if (out[Number(k) - 1]) out[Number(k) - 1]!.count = Number(n);
  }
  return out;
}

function textOf(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x && typeof x === 'object') return String((x as any).text ?? (x as any).answer ?? (x as any).value ?? '');
  return String(x ?? '');
}

function QuestionResultCard({ q, index }: { q: QuestionResult; index: number }) {
  const head = (
    <Space wrap>
      <span>
        {index + 1}. {q.title}
      </span>
      <Tag>{QUESTION_KINDS[q.kind]}</Tag>
      <Typography.Text type="secondary">{v.answered(q.answered)}</Typography.Text>
    </Space>
  );
  if (CHOICE.includes(q.kind)) {
    const rows = countsFor(q);
    const option = {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((r) => r.label), inverse: true, axisLabel: { width: 220, overflow: 'truncate' } },
      series: [{ type: 'bar', name: v.people, data: rows.map((r) => r.count), itemStyle: { color: '#3a7bd5' }, label: { show: true, position: 'right' }, barMaxWidth: 24 }],
    };
    return (
      <Card size="small" title={head}>
        <Chart option={option} height={Math.max(120, rows.length * 40 + 24)} ariaLabel={`${q.title}：${rows.map((r) => `${r.label} ${r.count}`).join('，')}`} />
      </Card>
    );
  }
  if (q.kind === 'rating') {
    const rows = distributionFor(q);
    const option = {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => v.stars(r.score)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: v.people, data: rows.map((r) => r.count), itemStyle: { color: '#f6c85f' }, label: { show: true, position: 'top' }, barMaxWidth: 40 }],
    };
    return (
      <Card size="small" title={head} extra={<Typography.Text strong>{v.average(q.average)}</Typography.Text>}>
        <Chart option={option} height={220} ariaLabel={`${q.title}：${v.average(q.average)}；${rows.map((r) => `${v.stars(r.score)} ${r.count}`).join('，')}`} />
      </Card>
    );
  }
  const texts = (q.texts ?? []).map(textOf).filter(Boolean);
  return (
    <Card size="small" title={head}>
      {texts.length ? (
        <List
          size="small"
          dataSource={texts}
          pagination={texts.length > 10 ? { pageSize: 10, size: 'small' } : false}
          renderItem={(x, i) => (
            <List.Item key={i}>
              <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{x}</Typography.Text>
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={v.noTexts} />
      )}
    </Card>
  );
}

export function ResultsDrawer({ survey, onClose }: { survey: SurveyRow | null; onClose: () => void }) {
  const query = useQuery({
    queryKey: [KEY, 'results', survey?.id],
    queryFn: () => api.get<Results>(`${KEY}/${survey!.id}/results`),
    enabled: Boolean(survey),
  });
  const r = query.data;
  return (
    <Drawer
      open={Boolean(survey)}
      title={survey ? v.resultsTitle(survey.title) : ''}
      size={Math.min(900, window.innerWidth)}
      onClose={onClose}
      destroyOnHidden
      extra={
        survey ? (
          <Button icon={<DownloadOutlined />} onClick={() => download(`${KEY}/${survey.id}/export`)}>
            {v.export}
          </Button>
        ) : null
      }
    >
      {query.isError ? (
        <LoadFailed error={query.error} />
      ) : !r ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          <Row gutter={12}>
            <Col span={12}>
              <Card size="small">
                <Statistic title={v.responseCount} value={r.responses} />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small">
                <Statistic title={v.status} value={survey ? SURVEY_STATUS[survey.status] : ''} />
              </Card>
            </Col>
          </Row>
          {survey && survey.status !== 'draft' ? (
            <Typography.Text>
              {v.link}：
              <Typography.Link href={publicUrl(survey.id)} target="_blank" copyable={{ text: publicUrl(survey.id), tooltips: [v.copyLink, ot.common.copied] }}>
                {publicUrl(survey.id)}
              </Typography.Link>
            </Typography.Text>
          ) : null}
          {r.questions.map((q, i) => (
            <QuestionResultCard key={q.id ?? i} q={q} index={i} />
          ))}
        </Flex>
      )}
    </Drawer>
  );
}

function QuestionCard({ form, index, count, name, move, remove }: {
  form: FormInstance;
  index: number;
  count: number;
  name: number;
  move: (from: number, to: number) => void;
  remove: (i: number) => void;
}) {
  const kind = Form.useWatch(['questions', name, 'kind'], form) as Kind | undefined;
  const choice = kind ? CHOICE.includes(kind) : false;
  return (
    <Card
      size="small"
      title={v.questionN(index + 1)}
      extra={
        <Space size={0}>
          <Tooltip title={ot.common.moveUp}>
            <Button type="text" icon={<ArrowUpOutlined />} aria-label={ot.common.moveUp} disabled={index === 0} onClick={() => move(index, index - 1)} />
          </Tooltip>
          <Tooltip title={ot.common.moveDown}>
            <Button type="text" icon={<ArrowDownOutlined />} aria-label={ot.common.moveDown} disabled={index === count - 1} onClick={() => move(index, index + 1)} />
          </Tooltip>
          <Tooltip title={ot.common.remove}>
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={ot.common.remove} onClick={() => remove(name)} />
          </Tooltip>
        </Space>
      }
    >
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name={[name, 'kind']} label={v.kind} rules={[{ required: true }]}>
            <Select
              options={Object.entries(QUESTION_KINDS).map(([value, label]) => ({ value, label }))}
              onChange={(k: Kind) => {
                const opts = form.getFieldValue(['questions', name, 'options']) as string[] | undefined;
                if (CHOICE.includes(k) && !opts?.length) form.setFieldValue(['questions', name, 'options'], ['', '']);
              }}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={[name, 'title']} label={v.questionTitle} rules={[{ required: true, whitespace: true, message: v.questionTitleRequired }, { max: 200 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={4}>
          <Form.Item name={[name, 'required']} label={v.required} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
      </Row>
      {choice ? (
        <Form.List
          name={[name, 'options']}
          rules={[
            {
              validator: async (_, opts?: string[]) => {
                if (!opts || opts.length < 2) throw new Error(v.atLeastTwoOptions);
                const trimmed = opts.map((o) => (o ?? '').trim()).filter(Boolean);
                if (new Set(trimmed).size < trimmed.length) throw new Error(v.optionDuplicate);
              },
            },
          ]}
        >
          {(fields, { add, remove: removeOpt, move: moveOpt }, { errors }) => (
            <Flex vertical gap={6} style={{ paddingInlineStart: 8 }}>
              <Typography.Text type="secondary">{v.options}</Typography.Text>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={4} align="start">
                  <Form.Item name={[f.name]} rules={[{ required: true, whitespace: true, message: v.optionRequired }, { max: 100 }]} style={{ flex: 1, marginBottom: 0 }}>
                    <Input placeholder={v.optionN(i + 1)} aria-label={v.optionN(i + 1)} />
                  </Form.Item>
                  <Button type="text" icon={<ArrowUpOutlined />} aria-label={ot.common.moveUp} disabled={i === 0} onClick={() => moveOpt(i, i - 1)} />
                  <Button type="text" icon={<ArrowDownOutlined />} aria-label={ot.common.moveDown} disabled={i === fields.length - 1} onClick={() => moveOpt(i, i + 1)} />
                  <Button type="text" danger icon={<DeleteOutlined />} aria-label={ot.common.remove} onClick={() => removeOpt(f.name)} />
                </Flex>
              ))}
              <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add('')} style={{ alignSelf: 'flex-start' }}>
                {v.addOption}
              </Button>
              <Form.Item style={{ marginBottom: 0 }}>
                <Form.ErrorList errors={errors} />
              </Form.Item>
            </Flex>
          )}
        </Form.List>
      ) : null}
    </Card>
  );
}

interface BuilderForm {
  title: string;
  description?: string;
  onePerDevice: boolean;
  questions: QuestionInput[];
}

export function BuilderDrawer({ target, onClose, onSaved }: { target: 'new' | string | null; onClose: () => void; onSaved: () => void }) {
  const [form] = Form.useForm<BuilderForm>();
  const { message } = useFeedback();
  const showError = useApiError();
  const [busy, setBusy] = useState(false);
  const editingId = target && target !== 'new' ? target : null;
  const detail = useQuery({
    queryKey: [KEY, 'detail', editingId],
    queryFn: () => api.get<SurveyDetail>(`${KEY}/${editingId}`),
    enabled: Boolean(editingId),
    staleTime: 0,
  });

  const initialValues = useMemo<BuilderForm | null>(() => {
    if (!target) return null;
    if (target === 'new') return { title: '', onePerDevice: true, questions: [{ kind: 'single', title: '', options: ['', ''], required: true }] };
    const d = detail.data;
    if (!d) return null;
    return {
      title: d.title,
      description: d.description ?? undefined,
      onePerDevice: d.onePerDevice,
      questions: d.questions.map((q) => ({ kind: q.kind, title: q.title, options: q.options ?? undefined, required: q.required })),
    };
  }, [target, detail.data]);

  const submit = async (f: BuilderForm) => {
    if (!f.questions?.length) {
      message.warning(v.atLeastOneQuestion);
      return;
    }
    setBusy(true);
    const body = {
      title: f.title.trim(),
      ...(f.description?.trim() ? { description: f.description.trim() } : {}),
      onePerDevice: Boolean(f.onePerDevice),
      questions: f.questions.map((q) => ({
        kind: q.kind,
        title: q.title.trim(),
        required: Boolean(q.required),
        ...(CHOICE.includes(q.kind) ? { options: (q.options ?? []).map((o) => o.trim()) } : {}),
      })),
    };
    try {
      if (editingId) await api.patch(`${KEY}/${editingId}`, body);
      else await api.post(KEY, body);
      message.success(v.saved);
      onSaved();
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  const locked = detail.data && detail.data.status !== 'draft';

  return (
    <Drawer
      open={target !== null}
      title={editingId ? v.builderEdit : v.builderNew}
      size={Math.min(820, window.innerWidth)}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{ot.common.cancel}</Button>
          <Button type="primary" loading={busy} disabled={!initialValues || Boolean(locked)} onClick={() => form.submit()}>
            {common.save}
          </Button>
        </Flex>
      }
    >
      {detail.isError ? (
        <LoadFailed error={detail.error} />
      ) : !initialValues ? (
        <Skeleton active />
      ) : (
        <Form<BuilderForm> form={form} name="survey" layout="vertical" onFinish={submit} disabled={busy || Boolean(locked)} initialValues={initialValues} preserve={false}>
          {locked ? <Typography.Paragraph type="warning">{v.draftOnly}</Typography.Paragraph> : null}
          <Form.Item name="title" label={v.name} rules={[{ required: true, whitespace: true, message: v.nameRequired }, { max: 200 }]}>
            <Input autoFocus />
          </Form.Item>
          <Form.Item name="description" label={v.description} rules={[{ max: 2000 }]}>
            <Input.TextArea rows={3} showCount maxLength={2000} />
          </Form.Item>
          <Form.Item name="onePerDevice" label={v.onePerDevice} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Typography.Title level={5}>{v.questions}</Typography.Title>
          <Form.List name="questions">
            {(fields, { add, remove, move }) => (
              <Flex vertical gap={8}>
                {fields.map((field, index) => (
                  <QuestionCard key={field.key} form={form} index={index} count={fields.length} name={field.name} move={move} remove={remove} />
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'single', title: '', options: ['', ''], required: true })} block>
                  {v.addQuestion}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form>
      )}
    </Drawer>
  );
}

