// 数据字典: code lists (职务, 意见类别…). Item codes never change once saved because records store them;
// items of built-in types can only be disabled, not deleted.

import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Button, Card, Col, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Space, Switch, Table, Tag, Tooltip, Typography,
  message,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { FormFooter, PageTitle } from './PageShell.js';
import { showError, useInvalidate } from './hooks.js';
import { useCan } from '../../auth/useMe.js';

const T = {
  title: '数据字典',
  types: '字典类型',
  items: (name: string) => `字典项：${name}`,
  pick: '请在左侧选择字典类型',
  refresh: '刷新',
  createType: '新建字典',
  editType: '编辑字典',
  createItem: '新增字典项',
  editItem: '编辑字典项',
  typeCode: '字典编码',
  typeCodeHint: '以小写字母开头，仅含小写字母、数字和下划线，2–40 位；创建后不可修改',
  typeName: '字典名称',
  description: '说明',
  builtin: '内置',
  itemCount: '项数',
  code: '编码',
  codeHint: '字母、数字及 _ . / + -；创建后不可修改（已有记录按编码引用）',
  itemLabel: '名称',
  sort: '排序',
  enabled: '状态',
  on: '启用',
  off: '停用',
  actions: '操作',
  edit: '编辑',
  delete: '删除',
  deleteConfirm: '确定删除该字典项？已引用该项的记录将只显示编码。',
  builtinNoDelete: '内置字典的字典项不能删除，可停用',
  disable: '停用',
  enable: '启用',
  disableConfirm: '停用后新录入时不再可选，已有记录不受影响。确定停用？',
  saved: '已保存',
  created: '已新增',
  deleted: '已删除',
  save: '保存',
  cancel: '取消',
  required: (f: string) => `请填写${f}`,
};

interface DictType {
  code: string;
  name: string;
  description: string | null;
  builtin: boolean;
  itemCount: number;
}

interface DictItem {
  id: string;
  code: string;
  label: string;
  sort: number;
  enabled: boolean | number;
}

interface TypeForm {
  code: string;
  name: string;
  description?: string;
}

interface ItemForm {
  code: string;
  label: string;
  sort: number;
  enabled: boolean;
}

const itemUrl = (type: string, id?: string) =>
  `/api/dicts/${encodeURIComponent(type)}/items${id ? `/${encodeURIComponent(id)}` : ''}`;

/** New or renamed dictionary type; mounted afresh for every opening. */
function TypeEditor({ editing, onCancel, onSaved }: {
  editing: DictType | 'new';
  onCancel: () => void;
  onSaved: (code: string) => void;
}) {
  const [toast, toastHolder] = message.useMessage();
  const [form] = Form.useForm<TypeForm>();
  const isNew = editing === 'new';
  const save = useMutation({
    mutationFn: (v: TypeForm) =>
      isNew
        ? api.post('/api/dicts', { code: v.code, name: v.name, description: v.description ?? '' })
        : api.patch(`/api/dicts/${encodeURIComponent(editing.code)}`, { name: v.name, description: v.description ?? '' }),
    onSuccess: (_r, v) => onSaved(isNew ? v.code : editing.code),
    onError: (e) => showError(e, toast, form),
  });
  return (
    <Form<TypeForm>
      form={form}
      layout="vertical"
      initialValues={isNew ? {} : { code: editing.code, name: editing.name, description: editing.description ?? '' }}
      onFinish={(v) => save.mutate(v)}
    >
      {toastHolder}
      <Form.Item
        name="code"
        label={T.typeCode}
        extra={isNew ? T.typeCodeHint : undefined}
        rules={[{ required: true, message: T.required(T.typeCode) }]}
      >
        <Input disabled={!isNew} maxLength={40} autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={T.typeName} rules={[{ required: true, message: T.required(T.typeName) }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="description" label={T.description}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <FormFooter onCancel={onCancel} saving={save.isPending} saveText={T.save} cancelText={T.cancel} />
    </Form>
  );
}

/** New or edited item of one type; the code is fixed once saved. */
function ItemEditor({ type, editing, nextSort, onCancel, onSaved }: {
  type: string;
  editing: DictItem | 'new';
  nextSort: number;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const [toast, toastHolder] = message.useMessage();
  const [form] = Form.useForm<ItemForm>();
  const isNew = editing === 'new';
  const save = useMutation({
    mutationFn: (v: ItemForm) =>
      isNew
        ? api.post(itemUrl(type), { code: v.code, label: v.label, sort: v.sort ?? 0, enabled: v.enabled ?? true })
        : api.patch(itemUrl(type, editing.id), { label: v.label, sort: v.sort ?? 0, enabled: v.enabled }),
    onSuccess: onSaved,
    onError: (e) => showError(e, toast, form),
  });
  return (
    <Form<ItemForm>
      form={form}
      layout="vertical"
      initialValues={
        isNew
          ? { sort: nextSort, enabled: true }
          : { code: editing.code, label: editing.label, sort: editing.sort, enabled: Boolean(editing.enabled) }
      }
      onFinish={(v) => save.mutate(v)}
    >
      {toastHolder}
      <Form.Item
        name="code"
        label={T.code}
        extra={isNew ? T.codeHint : undefined}
        rules={[{ required: true, message: T.required(T.code) }]}
      >
        <Input disabled={!isNew} maxLength={100} autoComplete="off" />
      </Form.Item>
      <Form.Item name="label" label={T.itemLabel} rules={[{ required: true, message: T.required(T.itemLabel) }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="sort" label={T.sort}>
        <InputNumber min={0} max={1000000} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="enabled" label={T.enabled} valuePropName="checked">
        <Switch checkedChildren={T.on} unCheckedChildren={T.off} />
      </Form.Item>
      <FormFooter onCancel={onCancel} saving={save.isPending} saveText={T.save} cancelText={T.cancel} />
    </Form>
  );
}

export default function DictPage() {
  const [toast, toastHolder] = message.useMessage();
  const can = useCan();
  const canWrite = can('dict:write');
  const invalidate = useInvalidate();

  const types = useQuery({ queryKey: ['dicts'], queryFn: () => api.get<{ items: DictType[] }>('/api/dicts') });
  const [selected, setSelected] = useState<string | null>(null);
  const current = types.data?.items.find((t) => t.code === selected) ?? null;
  useEffect(() => {
    if (!selected && types.data?.items.length) setSelected(types.data.items[0]!.code);
  }, [selected, types.data]);

  const items = useQuery({
    queryKey: ['dict-items', selected],
    queryFn: () => api.get<{ items: DictItem[] }>(`/api/dicts/${encodeURIComponent(selected!)}/items?includeDisabled=1`),
    enabled: !!selected,
  });

  const [typeEditing, setTypeEditing] = useState<DictType | 'new'>('new');
  const [itemEditing, setItemEditing] = useState<DictItem | 'new'>('new');
  const [typeOpen, setTypeOpen] = useState(false);
  const [itemOpen, setItemOpen] = useState(false);
  const [seq, setSeq] = useState(0);

  const itemPath = (id?: string) => itemUrl(selected ?? '', id);

  const toggle = useMutation({
    mutationFn: (v: { item: DictItem; enabled: boolean }) => api.patch(itemPath(v.item.id), { enabled: v.enabled }),
    onSuccess: (_r, v) => {
      toast.success(v.enabled ? `${T.enable}成功` : `${T.disable}成功`);
      invalidate('dict');
    },
    onError: (e) => showError(e, toast),
  });

  const removeItem = useMutation({
    mutationFn: (item: DictItem) => api.del(itemPath(item.id)),
    onSuccess: () => {
      toast.success(T.deleted);
      invalidate('dict');
    },
    onError: (e) => showError(e, toast),
  });

  const openType = (t: DictType | 'new') => {
    setTypeEditing(t);
    setSeq((n) => n + 1);
    setTypeOpen(true);
  };
  const openItem = (i: DictItem | 'new') => {
    setItemEditing(i);
    setSeq((n) => n + 1);
    setItemOpen(true);
  };
  const nextSort = Math.max(0, ...(items.data?.items ?? []).map((x) => x.sort)) + 10;

  const typeColumns: TableColumnsType<DictType> = [
    {
      title: T.typeName,
      dataIndex: 'name',
      render: (v: string, t) => (
        <div>
          <Space size={4}>
            <Typography.Text strong={t.code === selected}>{v}</Typography.Text>
            {t.builtin && <Tag color="gold">{T.builtin}</Tag>}
          </Space>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t.code}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: T.itemCount, dataIndex: 'itemCount', width: 60, align: 'right' },
  ];
  if (canWrite)
    typeColumns.push({
      key: 'edit',
      width: 44,
      render: (_: unknown, t) => (
        <Tooltip title={T.editType}>
          <Button
            type="text"
            size="small"
            icon={<EditOutlined />}
            onClick={(e) => {
              e.stopPropagation();
              openType(t);
            }}
          />
        </Tooltip>
      ),
    });

  const itemColumns: TableColumnsType<DictItem> = [
    {
      title: T.code,
      dataIndex: 'code',
      width: 240,
      ellipsis: true,
      // Codes may be long MIME types: one line, the full code on hover.
      render: (v: string) => (
        <Tooltip title={v}>
          <Typography.Text code>{v}</Typography.Text>
        </Tooltip>
      ),
    },
    { title: T.itemLabel, dataIndex: 'label' },
    { title: T.sort, dataIndex: 'sort', width: 80, align: 'right' },
    {
      title: T.enabled,
      dataIndex: 'enabled',
      width: 80,
      render: (v: boolean | number) => (v ? <Tag color="green">{T.on}</Tag> : <Tag>{T.off}</Tag>),
    },
  ];
  if (canWrite)
    itemColumns.push({
      title: T.actions,
      key: 'actions',
      width: 160,
      render: (_: unknown, i) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => openItem(i)}>{T.edit}</Button>
          {i.enabled ? (
            <Popconfirm title={T.disableConfirm} onConfirm={() => toggle.mutateAsync({ item: i, enabled: false })}>
              <Button type="link" size="small">{T.disable}</Button>
            </Popconfirm>
          ) : (
            <Button type="link" size="small" onClick={() => toggle.mutate({ item: i, enabled: true })}>{T.enable}</Button>
          )}
          {current?.builtin ? (
            <Tooltip title={T.builtinNoDelete}>
              <Button type="link" size="small" danger disabled>{T.delete}</Button>
            </Tooltip>
          ) : (
            <Popconfirm title={T.deleteConfirm} onConfirm={() => removeItem.mutateAsync(i)}>
              <Button type="link" size="small" danger>{T.delete}</Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });

  return (
    <>
      {toastHolder}
      <PageTitle title={T.title} />
      <Row gutter={16}>
        <Col xs={24} md={9} xl={7}>
          <Card
            title={T.types}
            extra={
              <Space>
                <Tooltip title={T.refresh}>
                  <Button size="small" icon={<ReloadOutlined />} onClick={() => invalidate('dict')} />
                </Tooltip>
                {canWrite && (
                  <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => openType('new')}>
                    {T.createType}
                  </Button>
                )}
              </Space>
            }
            styles={{ body: { padding: 0 } }}
          >
            <Table<DictType>
              rowKey="code"
              size="small"
              showHeader={false}
              columns={typeColumns}
              dataSource={types.data?.items ?? []}
              loading={types.isFetching}
              pagination={false}
              onRow={(t) => ({
                onClick: () => setSelected(t.code),
                style: { cursor: 'pointer', background: t.code === selected ? 'rgba(22,119,255,0.08)' : undefined },
              })}
            />
          </Card>
        </Col>
        <Col xs={24} md={15} xl={17}>
          <Card
            title={current ? T.items(current.name) : T.title}
            extra={
              canWrite &&
              current && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => openItem('new')}>{T.createItem}</Button>
              )
            }
          >
            {current ? (
              <>
                {current.description && (
                  <Typography.Paragraph type="secondary">{current.description}</Typography.Paragraph>
                )}
                <Table<DictItem>
                  rowKey="id"
                  size="middle"
                  columns={itemColumns}
                  dataSource={items.data?.items ?? []}
                  loading={items.isFetching}
                  pagination={false}
                />
              </>
            ) : (
              <Empty description={T.pick} />
            )}
          </Card>
        </Col>
      </Row>

      <Modal
        open={typeOpen}
        title={typeEditing === 'new' ? T.createType : T.editType}
        onCancel={() => setTypeOpen(false)}
        footer={null}
        destroyOnHidden
      >
        <TypeEditor
          key={seq}
          editing={typeEditing}
          onCancel={() => setTypeOpen(false)}
          onSaved={(code) => {
            toast.success(typeEditing === 'new' ? T.created : T.saved);
            if (typeEditing === 'new') setSelected(code);
            setTypeOpen(false);
            invalidate('dicts');
          }}
        />
      </Modal>

      <Modal
        open={itemOpen}
        title={itemEditing === 'new' ? T.createItem : T.editItem}
        onCancel={() => setItemOpen(false)}
        footer={null}
        destroyOnHidden
      >
        {selected && (
          <ItemEditor
            key={seq}
            type={selected}
            editing={itemEditing}
            nextSort={nextSort}
            onCancel={() => setItemOpen(false)}
            onSaved={() => {
              toast.success(itemEditing === 'new' ? T.created : T.saved);
              setItemOpen(false);
              invalidate('dict');
            }}
          />
        )}
      </Modal>
    </>
  );
}
