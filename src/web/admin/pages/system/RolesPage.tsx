// 角色权限: built-in roles are read-only (三员分立); custom roles pick permissions and a data scope.

import { useMemo, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert, Button, Checkbox, Descriptions, Drawer, Form, Input, Popconfirm, Select, Space, Table, Tag, Tooltip,
  TreeSelect, Typography, message,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api.js';
import { DATA_SCOPES, PERMISSIONS, PROTECTED_PERMISSIONS } from '../../../../shared/permissions.js';
import type { PendingApproval } from '../../../../shared/schemas/approvals.js';
import { FormFooter, PageShell } from './PageShell.js';
import { showError, useInvalidate, useOrgTree, type OrgTreeNode } from './hooks.js';
import { useCan } from '../../auth/useMe.js';
import { PERMISSION_GROUP_LABELS, dataScopeLabel, optionsOf, permissionGroup, permissionLabel } from './labels.js';
import { isPendingApproval, usePendingApprovalNotice } from './pendingApproval.js';

const T = {
  title: '角色权限',
  create: '新建角色',
  refresh: '刷新',
  separation:
    '内置角色按等保2.0“三员分立”设置：系统管理员维护业务数据，安全管理员管理账号与权限，审计管理员只查阅日志，三者互不兼任。内置角色不可修改或删除；如需其他组合，请新建自定义角色。',
  name: '角色名称',
  code: '角色编码',
  codeHint: '以小写字母开头，仅含小写字母、数字和下划线，2–32 位；创建后不可修改',
  description: '说明',
  kind: '类型',
  builtin: '内置',
  custom: '自定义',
  dataScope: '数据范围',
  customUnits: '可管理的单位',
  permissions: '权限',
  permCount: (n: number) => `${n} 项`,
  userCount: '账号数',
  actions: '操作',
  view: '查看权限',
  edit: '编辑',
  delete: '删除',
  deleteConfirm: '确定删除该角色？',
  deleteInUse: '仍有账号使用该角色，须先调整这些账号的角色',
  deleted: '已删除',
  saved: '已保存',
  created: '角色已创建',
  createTitle: '新建角色',
  editTitle: '编辑角色',
  viewTitle: (name: string) => `角色权限：${name}`,
  save: '保存',
  cancel: '取消',
  all: '全选',
  none: '（无）',
  readonly: '内置角色，只读',
  required: (f: string) => `请填写${f}`,
  requiredSelect: (f: string) => `请选择${f}`,
  approvalNote:
    '标橙色的是受保护权限（管理账号与角色、查看日志、查看敏感信息、审批等）：含受保护权限的角色为特权角色，分配给账号须经审批；为已有账号持有的角色增加受保护权限或扩大数据范围，也须由另一职责的管理员批准后生效。',
  protectedHint: '受保护权限',
};

/** Group names the shared label list does not carry yet. */
const MORE_GROUP_LABELS: Record<string, string> = { approvals: '特权审批' };
const isProtected = (code: string) => (PROTECTED_PERMISSIONS as readonly string[]).includes(code);

interface Role {
  id: string;
  code: string;
  name: string;
  description: string | null;
  builtin: boolean;
  permissions: string[];
  dataScope: string;
  customUnitIds: string[];
  userCount: number;
}

interface PermissionCatalog {
  items: { code: string; label: string }[];
  dataScopes: { code: string; label: string }[];
}

interface RoleForm {
  code: string;
  name: string;
  description?: string;
  permissions: string[];
  dataScope: string;
  customUnitIds?: string[];
}

/** The server's catalogue, or the shared constants while it loads. */
function useCatalog(): PermissionCatalog {
  const q = useQuery({
    queryKey: ['permissions'],
    queryFn: () => api.get<PermissionCatalog>('/api/permissions'),
    staleTime: 5 * 60_000,
    retry: false,
  });
  return useMemo(
    () =>
      q.data ?? {
        items: Object.entries(PERMISSIONS).map(([code, label]) => ({ code, label })),
        dataScopes: Object.entries(DATA_SCOPES).map(([code, label]) => ({ code, label })),
      },
    [q.data],
  );
}

function groupPermissions(items: { code: string; label: string }[]) {
  const groups = new Map<string, { code: string; label: string }[]>();
  for (const p of items) {
    const g = permissionGroup(p.code);
    groups.set(g, [...(groups.get(g) ?? []), p]);
  }
  return [...groups].map(([key, perms]) => ({ key, label: PERMISSION_GROUP_LABELS[key] ?? MORE_GROUP_LABELS[key] ?? key, perms }));
}

/** Permissions as checkbox groups, one per module, each with a select-all box. */
function PermissionPicker({ value = [], onChange, catalog }: {
  value?: string[];
  onChange?: (v: string[]) => void;
  catalog: PermissionCatalog;
}) {
  const groups = useMemo(() => groupPermissions(catalog.items), [catalog]);
  const selected = new Set(value);
  const setGroup = (codes: string[], on: boolean) => {
    const next = new Set(value);
    for (const c of codes) if (on) next.add(c); else next.delete(c);
    // Catalogue order; codes the catalogue does not list (any more) are kept, not silently dropped.
    const known = catalog.items.map((p) => p.code);
    onChange?.([...known.filter((c) => next.has(c)), ...[...next].filter((c) => !known.includes(c))]);
  };
  return (
    <div>
      {groups.map((g) => {
        const codes = g.perms.map((p) => p.code);
        const n = codes.filter((c) => selected.has(c)).length;
        return (
          <div key={g.key} style={{ display: 'flex', padding: '6px 0', borderBottom: '1px solid rgba(5,5,5,0.06)' }}>
            <div style={{ width: 120, flex: 'none' }}>
              <Checkbox
                checked={n === codes.length}
                indeterminate={n > 0 && n < codes.length}
                onChange={(e) => setGroup(codes, e.target.checked)}
              >
                <Typography.Text strong>{g.label}</Typography.Text>
              </Checkbox>
            </div>
            <div style={{ flex: 1 }}>
              {g.perms.map((p) => (
                <Checkbox
                  key={p.code}
                  checked={selected.has(p.code)}
                  onChange={(e) => setGroup([p.code], e.target.checked)}
                  style={{ marginRight: 12 }}
                >
                  <Tooltip title={isProtected(p.code) ? `${p.code}（${T.protectedHint}）` : p.code}>
                    <Typography.Text type={isProtected(p.code) ? 'warning' : undefined}>{p.label}</Typography.Text>
                  </Tooltip>
                </Checkbox>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}

function PermissionView({ role, catalog, unitNames }: { role: Role; catalog: PermissionCatalog; unitNames: Map<string, string> }) {
  const labels = new Map(catalog.items.map((p) => [p.code, p.label]));
  const groups = groupPermissions(role.permissions.map((code) => ({ code, label: labels.get(code) ?? permissionLabel(code) })));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      {role.builtin && <Alert type="info" showIcon title={T.readonly} description={role.description} />}
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'code', label: T.code, children: role.code },
          { key: 'scope', label: T.dataScope, children: dataScopeLabel(role.dataScope) },
          ...(role.dataScope === 'custom'
            ? [{
                key: 'units',
                label: T.customUnits,
                children: role.customUnitIds.map((id) => <Tag key={id}>{unitNames.get(id) ?? id}</Tag>),
              }]
            : []),
          ...groups.map((g) => ({
            key: g.key,
            label: g.label,
            children: g.perms.map((p) => <Tag key={p.code} color="blue">{p.label}</Tag>),
          })),
          ...(groups.length === 0 ? [{ key: 'none', label: T.permissions, children: T.none }] : []),
        ]}
      />
    </Space>
  );
}

/** The create/edit form; mounted afresh for every opening. */
function RoleEditor({ editing, catalog, tree, onCancel, onSaved }: {
  editing: Role | 'new';
  catalog: PermissionCatalog;
  tree: OrgTreeNode[];
  onCancel: () => void;
  onSaved: (pending?: PendingApproval) => void;
}) {
  const [toast, toastHolder] = message.useMessage();
  const [form] = Form.useForm<RoleForm>();
  const dataScope = Form.useWatch('dataScope', form);
  const isNew = editing === 'new';
  const initialValues: Partial<RoleForm> = isNew
    ? { dataScope: 'unit', permissions: [], customUnitIds: [] }
    : {
        code: editing.code,
        name: editing.name,
        description: editing.description ?? '',
        permissions: editing.permissions,
        dataScope: editing.dataScope,
        customUnitIds: editing.customUnitIds,
      };
  const scopeOptions = catalog.dataScopes.map((d) => ({ value: d.code, label: d.label }));

  const save = useMutation({
    mutationFn: (v: RoleForm) => {
      const body = {
        name: v.name,
        description: v.description ?? '',
        permissions: v.permissions ?? [],
        dataScope: v.dataScope,
        customUnitIds: v.dataScope === 'custom' ? (v.customUnitIds ?? []) : [],
      };
      return isNew ? api.post('/api/roles', { code: v.code, ...body }) : api.patch(`/api/roles/${editing.id}`, body);
    },
    onSuccess: (res) => onSaved(isPendingApproval(res) ? res : undefined),
    onError: (e) => showError(e, toast, form),
  });

  return (
    <Form<RoleForm> form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => save.mutate(v)}>
      {toastHolder}
      <Form.Item
        name="code"
        label={T.code}
        extra={isNew ? T.codeHint : undefined}
        rules={[{ required: true, message: T.required(T.code) }]}
      >
        <Input disabled={!isNew} maxLength={32} autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={T.name} rules={[{ required: true, message: T.required(T.name) }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="description" label={T.description}>
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
      <Form.Item name="dataScope" label={T.dataScope} rules={[{ required: true, message: T.requiredSelect(T.dataScope) }]}>
        <Select options={scopeOptions.length ? scopeOptions : optionsOf(DATA_SCOPES)} />
      </Form.Item>
      {dataScope === 'custom' && (
        <Form.Item name="customUnitIds" label={T.customUnits} rules={[{ required: true, message: T.requiredSelect(T.customUnits) }]}>
          <TreeSelect
            // Plain multiple (not checkable): a custom scope lists exact units, so picking a parent
            // must not silently add its children.
            multiple
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeData={tree}
            treeDefaultExpandedKeys={tree[0] ? [tree[0].value] : []}
            maxTagCount={8}
          />
        </Form.Item>
      )}
      <Form.Item name="permissions" label={T.permissions}>
        <PermissionPicker catalog={catalog} />
      </Form.Item>
      <FormFooter onCancel={onCancel} saving={save.isPending} saveText={T.save} cancelText={T.cancel} />
    </Form>
  );
}

export default function RolesPage() {
  const [toast, toastHolder] = message.useMessage();
  const can = useCan();
  const canWrite = can('roles:write');
  const invalidate = useInvalidate();
  const catalog = useCatalog();
  const { tree, names: unitNames } = useOrgTree(false);
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => api.get<{ items: Role[] }>('/api/roles') });

  const [editing, setEditing] = useState<Role | 'new'>('new');
  const [open, setOpen] = useState(false);
  const [seq, setSeq] = useState(0);
  const [viewing, setViewing] = useState<Role | null>(null);
  const [showPending, pendingHolder] = usePendingApprovalNotice();

  const remove = useMutation({
    mutationFn: (r: Role) => api.del(`/api/roles/${r.id}`),
    onSuccess: () => {
      toast.success(T.deleted);
      invalidate('roles');
    },
    onError: (e) => showError(e, toast),
  });

  const openEdit = (r: Role | 'new') => {
    setEditing(r);
    setSeq((n) => n + 1);
    setOpen(true);
  };
  const onSaved = (pending?: PendingApproval) => {
    if (pending) showPending(pending);
    else toast.success(editing === 'new' ? T.created : T.saved);
    setOpen(false);
    // The caller's own role may have changed: refresh their permissions too.
    invalidate('roles', 'me', 'approvals');
  };

  const columns: TableColumnsType<Role> = [
    {
      title: T.name,
      dataIndex: 'name',
      width: 160,
      render: (v: string, r) => (
        <Space size={4}>
          {v}
          {r.builtin ? <Tag color="gold">{T.builtin}</Tag> : <Tag>{T.custom}</Tag>}
        </Space>
      ),
    },
    { title: T.code, dataIndex: 'code', width: 140, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: T.dataScope, dataIndex: 'dataScope', width: 130, render: (v: string) => dataScopeLabel(v) },
    { title: T.permissions, dataIndex: 'permissions', width: 90, render: (v: string[]) => T.permCount(v.length) },
    { title: T.userCount, dataIndex: 'userCount', width: 80, align: 'right' },
    { title: T.description, dataIndex: 'description', ellipsis: true, render: (v: string | null) => v || '—' },
    {
      title: T.actions,
      key: 'actions',
      width: 190,
      render: (_: unknown, r) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setViewing(r)}>{T.view}</Button>
          {canWrite && !r.builtin && (
            <>
              <Button type="link" size="small" onClick={() => openEdit(r)}>{T.edit}</Button>
              <Popconfirm
                title={T.deleteConfirm}
                description={r.userCount > 0 ? T.deleteInUse : undefined}
                okButtonProps={{ disabled: r.userCount > 0 }}
                onConfirm={() => remove.mutateAsync(r)}
              >
                <Button type="link" size="small" danger>{T.delete}</Button>
              </Popconfirm>
            </>
          )}
        </Space>
      ),
    },
  ];

  return (
    <PageShell
      title={T.title}
      extra={
        <Space>
          <Tooltip title={T.refresh}>
            <Button icon={<ReloadOutlined />} onClick={() => roles.refetch()} />
          </Tooltip>
          {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => openEdit('new')}>{T.create}</Button>}
        </Space>
      }
    >
      {toastHolder}
      {pendingHolder}
      <Alert type="info" showIcon title={T.separation} description={T.approvalNote} style={{ marginBottom: 16 }} />
      <Table<Role>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={roles.data?.items ?? []}
        loading={roles.isFetching}
        pagination={false}
        scroll={{ x: 1000 }}
      />

      <Drawer open={viewing !== null} title={viewing ? T.viewTitle(viewing.name) : ''} size={640} onClose={() => setViewing(null)}>
        {viewing && <PermissionView role={viewing} catalog={catalog} unitNames={unitNames} />}
      </Drawer>

      <Drawer
        open={open}
        title={editing === 'new' ? T.createTitle : T.editTitle}
        size={760}
        onClose={() => setOpen(false)}
        destroyOnHidden
      >
        <RoleEditor key={seq} editing={editing} catalog={catalog} tree={tree} onCancel={() => setOpen(false)} onSaved={onSaved} />
      </Drawer>
    </PageShell>
  );
}
