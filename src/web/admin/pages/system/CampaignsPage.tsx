// 教育整顿批次: the campaign batches the whole platform hangs its work on (筹备中 → 进行中 → 已结束).

import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import dayjs from 'dayjs';
import {
  Button, DatePicker, Drawer, Form, Input, InputNumber, Popconfirm, Segmented, Select, Space, Table, Tag, Tooltip, Typography,
  message,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { FormFooter, PageShell } from './PageShell.js';
import { formatDate } from '../../components/format.js';
import { showError, useInvalidate, useListQuery } from './hooks.js';
import { useCan } from '../../auth/useMe.js';
import { CAMPAIGN_STATUS_COLORS, CAMPAIGN_STATUS_LABELS, label, optionsOf } from './labels.js';
import type { DateRange } from './range.js';

const T = {
  title: '教育整顿批次',
  create: '新建批次',
  refresh: '刷新',
  all: '全部',
  name: '批次名称',
  namePlaceholder: '如：2026年全市司法行政队伍教育整顿',
  batch: '批次',
  batchHint: '第几批，填数字',
  batchLabel: (n: number) => `第 ${n} 批`,
  closedHint: '批次已结束，仅可修改说明',
  period: '起止日期',
  periodPlaceholder: ['开始日期', '结束日期'] as [string, string],
  status: '状态',
  description: '说明',
  actions: '操作',
  edit: '编辑',
  start: '启动',
  startConfirm: '启动后批次进入“进行中”，各单位即可开展工作。确定启动？',
  close: '结束',
  closeConfirm: '结束后批次转为“已结束”，确定结束？',
  started: '批次已启动',
  closed: '批次已结束',
  createTitle: '新建批次',
  editTitle: '编辑批次',
  save: '保存',
  cancel: '取消',
  saved: '已保存',
  created: '批次已创建',
  required: (f: string) => `请填写${f}`,
  requiredSelect: (f: string) => `请选择${f}`,
};

type Status = 'planned' | 'active' | 'closed';

interface Campaign {
  id: string;
  name: string;
  batch: number;
  startDate: string | null;
  endDate: string | null;
  status: Status;
  description: string | null;
}

interface CampaignForm {
  name: string;
  batch: number;
  dates: DateRange;
  status?: Status;
  description?: string;
}

/** The create/edit form; mounted afresh for every opening. Status changes go through 启动/结束. */
function CampaignEditor({ editing, nextBatch, onCancel, onSaved }: {
  editing: Campaign | 'new';
  /** A suggestion only; the server refuses a batch number already taken. */
  nextBatch: number;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const [toast, toastHolder] = message.useMessage();
  const [form] = Form.useForm<CampaignForm>();
  const isNew = editing === 'new';
  // A closed campaign is history: the server accepts only its description (unchanged values may be sent back).
  const locked = !isNew && editing.status === 'closed';
  const initialValues: Partial<CampaignForm> = isNew
    ? { status: 'planned', batch: nextBatch }
    : {
        name: editing.name,
        batch: editing.batch,
        dates: [editing.startDate ? dayjs(editing.startDate) : null, editing.endDate ? dayjs(editing.endDate) : null],
        description: editing.description ?? '',
      };

  const save = useMutation({
    mutationFn: (v: CampaignForm) => {
      const body = {
        name: v.name,
        batch: v.batch,
        startDate: v.dates?.[0]?.format('YYYY-MM-DD'),
        endDate: v.dates?.[1]?.format('YYYY-MM-DD'),
        description: v.description ?? '',
        ...(isNew && v.status ? { status: v.status } : {}),
      };
      return isNew ? api.post('/api/campaigns', body) : api.patch(`/api/campaigns/${editing.id}`, body);
    },
    onSuccess: onSaved,
    // The two dates are edited by one range picker.
    onError: (e) => showError(e, toast, form, { startDate: 'dates', endDate: 'dates' }),
  });

  return (
    <Form<CampaignForm> form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => save.mutate(v)}>
      {toastHolder}
      <Form.Item name="name" label={T.name} rules={[{ required: true, message: T.required(T.name) }]}>
        <Input maxLength={100} placeholder={T.namePlaceholder} disabled={locked} />
      </Form.Item>
      <Form.Item name="batch" label={T.batch} extra={T.batchHint} rules={[{ required: true, message: T.required(T.batch) }]}>
        <InputNumber min={1} max={99} precision={0} prefix="第" suffix="批" style={{ width: 160 }} disabled={locked} />
      </Form.Item>
      <Form.Item
        name="dates"
        label={T.period}
        required
        rules={[
          {
            validator: (_r, v: DateRange) =>
              v?.[0] && v?.[1] ? Promise.resolve() : Promise.reject(new Error(T.requiredSelect(T.period))),
          },
        ]}
      >
        <DatePicker.RangePicker placeholder={T.periodPlaceholder} style={{ width: '100%' }} disabled={locked} />
      </Form.Item>
      {isNew ? (
        <Form.Item name="status" label={T.status}>
          <Select options={optionsOf(CAMPAIGN_STATUS_LABELS).filter((o) => o.value !== 'closed')} style={{ width: 160 }} />
        </Form.Item>
      ) : (
        <Form.Item label={T.status} extra={locked ? T.closedHint : undefined}>
          <Typography.Text>{label(CAMPAIGN_STATUS_LABELS, editing.status)}</Typography.Text>
        </Form.Item>
      )}
      <Form.Item name="description" label={T.description}>
        <Input.TextArea rows={4} maxLength={2000} />
      </Form.Item>
      <FormFooter onCancel={onCancel} saving={save.isPending} saveText={T.save} cancelText={T.cancel} />
    </Form>
  );
}

export default function CampaignsPage() {
  const [toast, toastHolder] = message.useMessage();
  const can = useCan();
  const canWrite = can('campaign:write');
  const invalidate = useInvalidate();
  const list = useListQuery<Campaign>('campaigns', '/api/campaigns');
  const [editing, setEditing] = useState<Campaign | 'new'>('new');
  const [isOpen, setOpen] = useState(false);
  const [seq, setSeq] = useState(0);

  const transition = useMutation({
    mutationFn: (v: { id: string; status: Status }) => api.patch(`/api/campaigns/${v.id}`, { status: v.status }),
    onSuccess: (_r, v) => {
      toast.success(v.status === 'active' ? T.started : T.closed);
      invalidate('campaigns');
    },
    onError: (e) => showError(e, toast),
  });

  const open = (c: Campaign | 'new') => {
    setEditing(c);
    setSeq((n) => n + 1);
    setOpen(true);
  };

  const columns: TableColumnsType<Campaign> = [
    { title: T.name, dataIndex: 'name', ellipsis: true },
    { title: T.batch, dataIndex: 'batch', width: 100, render: (n: number) => T.batchLabel(n) },
    {
      title: T.period,
      key: 'period',
      width: 220,
      render: (_: unknown, c) => `${formatDate(c.startDate)} 至 ${formatDate(c.endDate)}`,
    },
    {
      title: T.status,
      dataIndex: 'status',
      width: 100,
      render: (s: Status) => <Tag color={CAMPAIGN_STATUS_COLORS[s]}>{label(CAMPAIGN_STATUS_LABELS, s)}</Tag>,
    },
    {
      title: T.description,
      dataIndex: 'description',
      ellipsis: { showTitle: true },
      render: (v: string | null) => v || '—',
    },
  ];
  if (canWrite)
    columns.push({
      title: T.actions,
      key: 'actions',
      width: 140,
      render: (_: unknown, c) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => open(c)}>{T.edit}</Button>
          {c.status === 'planned' && (
            <Popconfirm title={T.startConfirm} onConfirm={() => transition.mutateAsync({ id: c.id, status: 'active' })}>
              <Button type="link" size="small">{T.start}</Button>
            </Popconfirm>
          )}
          {c.status === 'active' && (
            <Popconfirm title={T.closeConfirm} onConfirm={() => transition.mutateAsync({ id: c.id, status: 'closed' })}>
              <Button type="link" size="small" danger>{T.close}</Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });

  const status = (list.filters.status as string | undefined) ?? '';

  return (
    <PageShell
      title={T.title}
      extra={
        <Space>
          <Tooltip title={T.refresh}>
            <Button icon={<ReloadOutlined />} onClick={() => list.query.refetch()} />
          </Tooltip>
          {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{T.create}</Button>}
        </Space>
      }
    >
      {toastHolder}
      <Segmented
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => list.setFilters({ status: v || undefined })}
        options={[{ value: '', label: T.all }, ...optionsOf(CAMPAIGN_STATUS_LABELS)]}
      />
      <Table<Campaign>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.query.isFetching}
        pagination={list.pagination}
        scroll={{ x: 900 }}
      />

      <Drawer
        open={isOpen}
        title={editing === 'new' ? T.createTitle : T.editTitle}
        size={520}
        onClose={() => setOpen(false)}
        destroyOnHidden
      >
        <CampaignEditor
          key={seq}
          editing={editing}
          nextBatch={Math.max(0, ...list.items.map((c) => c.batch)) + 1}
          onCancel={() => setOpen(false)}
          onSaved={() => {
            toast.success(editing === 'new' ? T.created : T.saved);
            setOpen(false);
            invalidate('campaigns');
          }}
        />
      </Drawer>
    </PageShell>
  );
}
