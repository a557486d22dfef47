// 账号管理: staff accounts, their unit, roles and status; generated passwords are shown once.

import { useMemo, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Badge, Button, Drawer, Form, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, TreeSelect, Typography, message,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined, SafetyOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { api, type Page } from '../../api.js';
import { BUILTIN_ROLES, UNIT_ADMIN_ASSIGNABLE, isPrivilegedRole } from '../../../../shared/permissions.js';
import type { PendingApproval } from '../../../../shared/schemas/approvals.js';
import { FormFooter, PageShell } from './PageShell.js';
import { formatDateTime } from '../../components/format.js';
import { showError, useInvalidate, useListQuery, useOrgTree, type OrgTreeNode } from './hooks.js';
import { useCan, useMe } from '../../auth/useMe.js';
import { USER_STATUS_LABELS, optionsOf } from './labels.js';
import { SecretModal, type Secret } from './SecretModal.js';
import { isPendingApproval, usePendingApprovalNotice } from './pendingApproval.js';

const T = {
  title: '账号管理',
  create: '新建账号',
  refresh: '刷新',
  search: '用户名、姓名',
  unit: '所在单位',
  status: '状态',
  role: '角色',
  username: '用户名',
  displayName: '姓名',
  person: '关联干警',
  personHint: '输入姓名或警号搜索',
  roles: '角色',
  lastLogin: '最近登录',
  createdAt: '创建时间',
  actions: '操作',
  edit: '编辑',
  resetPassword: '重置密码',
  resetConfirm: '重置后原密码立即失效，确定重置？',
  disable: '停用',
  enable: '启用',
  disableConfirm: '停用后该账号将无法登录，并立即下线。确定停用？',
  enableConfirm: '确定启用该账号？',
  mustChange: '待改密',
  createTitle: '新建账号',
  editTitle: '编辑账号',
  save: '保存',
  cancel: '取消',
  created: '账号已创建',
  saved: '已保存',
  initialPassword: '初始密码',
  newPassword: '新密码',
  usernameHint: '3–32 位字母、数字、下划线、点或连字符，登录时使用，创建后不可修改',
  required: (f: string) => `请填写${f}`,
  requiredSelect: (f: string) => `请选择${f}`,
  self: '本人',
  selfHint: '本人的密码请在右上角“修改密码”中修改；不能停用本人账号',
  selfRoles: '不能修改本人的角色',
  privileged: '特权',
  privilegedHint: '特权角色：新建、授予、重置密码或启用须经另一职责的管理员审批',
  approvals: '特权审批',
};

interface UserRow {
  id: string;
  username: string;
  displayName: string;
  personId: string | null;
  personName: string | null;
  orgUnitId: string;
  orgUnitName: string;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  roles: { code: string; name: string }[];
  lastLoginAt: string | null;
  createdAt: string;
}

interface RoleOption {
  code: string;
  name: string;
  builtin?: boolean;
  permissions?: readonly string[];
}

interface PersonOption {
  id: string;
  name: string;
  orgUnitId: string;
  orgUnitName: string;
  policeNo?: string | null;
}

interface UserForm {
  username?: string;
  displayName: string;
  orgUnitId: string;
  personId?: string;
  roleCodes: string[];
}

/**
 * All roles (for the filter and for naming a user's roles) and the ones the caller may hand out,
 * mirroring the server's rule so the form does not offer what would be refused: holders of
 * roles:write assign anything; others assign 干警/单位管理员, and — with an all-data scope — custom
 * roles carrying no permission they lack themselves.
 */
function useRoleOptions() {
  const me = useMe();
  const q = useQuery({
    queryKey: ['roles'],
    queryFn: () => api.get<{ items: RoleOption[] }>('/api/roles'),
    retry: false,
    staleTime: 60_000,
  });
  return useMemo(() => {
    const all: RoleOption[] =
      q.data?.items ?? BUILTIN_ROLES.map((r) => ({ code: r.code, name: r.name, builtin: true, permissions: r.permissions }));
    const mine = new Set(me?.permissions ?? []);
    const allScope = (me?.roles ?? []).some((r) => r.dataScope === 'all');
    const assignable = all.filter(
      (r) =>
        mine.has('roles:write') ||
        UNIT_ADMIN_ASSIGNABLE.includes(r.code) ||
        (allScope && !r.builtin && (r.permissions ?? []).every((p) => mine.has(p))),
    );
    return { all, assignable };
  }, [q.data, me]);
}

function PersonPicker({ id, value, onChange, onPick, initial }: {
  id?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  onPick?: (p: PersonOption | undefined) => void;
  initial?: { id: string; name: string } | null;
}) {
  const [search, setSearch] = useState('');
  const q = useQuery({
    queryKey: ['people-picker', search],
    queryFn: () => api.get<Page<PersonOption>>(`/api/people?q=${encodeURIComponent(search)}&pageSize=20`),
    staleTime: 30_000,
  });
  const options = (q.data?.items ?? []).map((p) => ({
    value: p.id,
    label: `${p.name}（${p.orgUnitName}）`,
    person: p,
  }));
  if (initial && value === initial.id && !options.some((o) => o.value === initial.id))
    options.unshift({ value: initial.id, label: initial.name, person: undefined as unknown as PersonOption });
  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={value}
      placeholder={T.personHint}
      loading={q.isFetching}
      options={options}
      onChange={(v, opt) => {
        onChange?.(v);
        const o = Array.isArray(opt) ? undefined : (opt as { person?: PersonOption } | undefined);
        onPick?.(o?.person);
      }}
      onClear={() => setSearch('')}
    />
  );
}

/** The create/edit form; mounted afresh for every opening so no values linger from the last one. */
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function UserEditor({ editing, self, tree, roleOptions, onCancel, onSaved }: {
  editing: UserRow | 'new';
  /** Editing one's own account: roles stay as they are. */
  self: boolean;
  tree: OrgTreeNode[];
  roleOptions: { all: RoleOption[]; assignable: RoleOption[] };
  onCancel: () => void;
  onSaved: (created?: { username: string; initialPassword: string } | PendingApproval) => void;
}) {
  const [toast, toastHolder] = message.useMessage();
  const [form] = Form.useForm<UserForm>();
  const isNew = editing === 'new';
  const initialValues: Partial<UserForm> = isNew
    ? { roleCodes: roleOptions.assignable.some((r) => r.code === 'officer') ? ['officer'] : [] }
    : {
        username: editing.username,
        displayName: editing.displayName,
        orgUnitId: editing.orgUnitId,
        roleCodes: editing.roles.map((r) => r.code),
      };

  // Roles the user already holds stay visible (by name) even when this admin could not assign them.
  const held = new Set(isNew ? [] : editing.roles.map((r) => r.code));
  const assignable = new Set(roleOptions.assignable.map((r) => r.code));
  const roleChoices = roleOptions.all
    .filter((r) => assignable.has(r.code) || held.has(r.code))
    .map((r) => ({
      value: r.code,
      // Privileged roles are marked: choosing one files the change for approval.
      label: r.permissions && isPrivilegedRole({ code: r.code, permissions: r.permissions }) ? `${r.name}（${T.privileged}）` : r.name,
      disabled: !assignable.has(r.code),
    }));

  const save = useMutation({
    mutationFn: (v: UserForm) =>
      isNew
        ? api.post<{ id: string; username: string; initialPassword: string }>('/api/users', {
            username: v.username,
            displayName: v.displayName,
            orgUnitId: v.orgUnitId,
            personId: v.personId ?? null,
            roleCodes: v.roleCodes ?? [],
          })
        : api.patch(`/api/users/${editing.id}`, {
            displayName: v.displayName,
            orgUnitId: v.orgUnitId,
            // Unchanged roles are not sent: the account may hold a role this admin could not assign.
            ...(sameSet(v.roleCodes ?? [], editing.roles.map((r) => r.code)) ? {} : { roleCodes: v.roleCodes ?? [] }),
          }),
    onSuccess: (res) =>
      onSaved(isPendingApproval(res) ? res : isNew ? (res as { username: string; initialPassword: string }) : undefined),
    onError: (e) => showError(e, toast, form),
  });

  return (
    <Form<UserForm> form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => save.mutate(v)}>
      {toastHolder}
      <Form.Item
        name="username"
        label={T.username}
        extra={isNew ? T.usernameHint : undefined}
        rules={isNew ? [{ required: true, message: T.required(T.username) }] : []}
      >
        <Input disabled={!isNew} autoComplete="off" maxLength={32} />
      </Form.Item>
      {isNew ? (
        <Form.Item name="personId" label={T.person}>
          <PersonPicker
            onPick={(p) => {
              if (!p) return;
              // Picking the person fills name and unit; the admin can still change them.
              if (!form.getFieldValue('displayName')) form.setFieldValue('displayName', p.name);
              if (!form.getFieldValue('orgUnitId')) form.setFieldValue('orgUnitId', p.orgUnitId);
            }}
          />
        </Form.Item>
      ) : (
        editing.personName && (
          <Form.Item label={T.person}>
            <Typography.Text>{editing.personName}</Typography.Text>
          </Form.Item>
        )
      )}
      <Form.Item name="displayName" label={T.displayName} rules={[{ required: true, message: T.required(T.displayName) }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="orgUnitId" label={T.unit} rules={[{ required: true, message: T.requiredSelect(T.unit) }]}>
        <TreeSelect
          showSearch={{ treeNodeFilterProp: 'title' }}
          treeData={tree}
          treeDefaultExpandedKeys={tree[0] ? [tree[0].value] : []}
        />
      </Form.Item>
      <Form.Item
        name="roleCodes"
        label={T.roles}
        extra={self ? T.selfRoles : undefined}
        tooltip={T.privilegedHint}
        rules={[{ required: true, message: T.requiredSelect(T.roles) }]}
      >
        <Select mode="multiple" options={roleChoices} disabled={self} showSearch={{ optionFilterProp: 'label' }} />
      </Form.Item>
      <FormFooter onCancel={onCancel} saving={save.isPending} saveText={T.save} cancelText={T.cancel} />
    </Form>
  );
}

export default function UsersPage() {
  const [toast, toastHolder] = message.useMessage();
  const can = useCan();
  const canWrite = can('users:write');
  const invalidate = useInvalidate();
  const list = useListQuery<UserRow>('users', '/api/users');
  const { tree } = useOrgTree(true);
  const { tree: filterTree } = useOrgTree(false);
  const roleOptions = useRoleOptions();
  const meId = useMe().user.id;

  const [filterForm] = Form.useForm();
  const [editing, setEditing] = useState<UserRow | 'new'>('new');
  const [open, setOpen] = useState(false);
  const [seq, setSeq] = useState(0);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [showPending, pendingHolder] = usePendingApprovalNotice();
  const navigate = useNavigate();
  const canSeeApprovals = can('approvals:read');
  const pendingCount = useQuery({
    queryKey: ['approvals', 'pending-count'],
    queryFn: () => api.get<Page<unknown>>('/api/approvals?status=pending&pageSize=1'),
    enabled: canSeeApprovals,
    staleTime: 30_000,
  });

  const setStatus = useMutation({
    mutationFn: (v: { id: string; status: 'active' | 'disabled' }) => api.patch(`/api/users/${v.id}`, { status: v.status }),
    onSuccess: (r, v) => {
      if (isPendingApproval(r)) showPending(r);
      else toast.success(v.status === 'active' ? `${T.enable}成功` : `${T.disable}成功`);
      invalidate('users', 'sessions', 'approvals');
    },
    onError: (e) => showError(e, toast),
  });

  const reset = useMutation({
    mutationFn: (u: UserRow) => api.post<{ password: string } | PendingApproval>(`/api/users/${u.id}/reset-password`),
    onSuccess: (r, u) => {
      if (isPendingApproval(r)) showPending(r);
      else setSecret({ title: `${T.resetPassword}：${T.newPassword}`, username: u.username, password: r.password });
      invalidate('users', 'approvals');
    },
    onError: (e) => showError(e, toast),
  });

  const openEditor = (u: UserRow | 'new') => {
    setEditing(u);
    setSeq((n) => n + 1);
    setOpen(true);
  };
  const onSaved = (created?: { username: string; initialPassword: string } | PendingApproval) => {
    setOpen(false);
    if (isPendingApproval(created)) showPending(created);
    else if (created) setSecret({ title: `${T.created}：${T.initialPassword}`, username: created.username, password: created.initialPassword });
    else toast.success(T.saved);
    invalidate('users', 'roles', 'approvals');
  };

  const columns: TableColumnsType<UserRow> = [
    { title: T.username, dataIndex: 'username', width: 140 },
    {
      title: T.displayName,
      dataIndex: 'displayName',
      width: 140,
      render: (v: string, u) => (
        <Space size={4}>
          {v}
          {u.mustChangePassword && <Tag color="orange">{T.mustChange}</Tag>}
        </Space>
      ),
    },
    { title: T.person, dataIndex: 'personName', width: 110, render: (v: string | null) => v ?? '—' },
    { title: T.unit, dataIndex: 'orgUnitName', width: 170, ellipsis: true },
    {
      title: T.roles,
      dataIndex: 'roles',
      render: (roles: UserRow['roles']) => roles.map((r) => <Tag key={r.code}>{r.name}</Tag>),
    },
    {
      title: T.status,
      dataIndex: 'status',
      width: 90,
      render: (s: string) => <Tag color={s === 'active' ? 'green' : 'red'}>{USER_STATUS_LABELS[s] ?? s}</Tag>,
    },
    { title: T.lastLogin, dataIndex: 'lastLoginAt', width: 170, render: formatDateTime },
    { title: T.createdAt, dataIndex: 'createdAt', width: 170, render: formatDateTime },
  ];
  if (canWrite)
    columns.push({
      title: T.actions,
      key: 'actions',
      width: 200,
      fixed: 'right',
      render: (_: unknown, u) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => openEditor(u)}>{T.edit}</Button>
          {u.id === meId ? (
            // One's own password is changed with the old one, and one cannot lock oneself out.
            <Tooltip title={T.selfHint}>
              <Tag>{T.self}</Tag>
            </Tooltip>
          ) : (
            <>
              <Popconfirm title={T.resetConfirm} onConfirm={() => reset.mutateAsync(u)}>
                <Button type="link" size="small">{T.resetPassword}</Button>
              </Popconfirm>
              {statusButton(u)}
            </>
          )}
        </Space>
      ),
    });

  function statusButton(u: UserRow) {
    return u.status === 'active' ? (
            <Popconfirm title={T.disableConfirm} onConfirm={() => setStatus.mutateAsync({ id: u.id, status: 'disabled' })}>
              <Button type="link" size="small" danger>{T.disable}</Button>
            </Popconfirm>
          ) : (
            <Popconfirm title={T.enableConfirm} onConfirm={() => setStatus.mutateAsync({ id: u.id, status: 'active' })}>
              <Button type="link" size="small">{T.enable}</Button>
            </Popconfirm>
          );
  }

  return (
    <PageShell
      title={T.title}
      extra={
        <Space>
          <Tooltip title={T.refresh}>
            <Button icon={<ReloadOutlined />} onClick={() => list.query.refetch()} />
          </Tooltip>
          {canSeeApprovals && (
            <Badge count={pendingCount.data?.total ?? 0} size="small">
              <Button icon={<SafetyOutlined />} onClick={() => navigate('/approvals')}>{T.approvals}</Button>
            </Badge>
          )}
          {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => openEditor('new')}>{T.create}</Button>}
        </Space>
      }
    >
      {toastHolder}
      {pendingHolder}
      <Form
        form={filterForm}
        name="userFilter"
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        // Text search applies on Enter; the selects apply at once.
        onValuesChange={(changed, all) => {
          if (!('q' in changed)) list.setFilters(all);
        }}
      >
        <Form.Item name="q">
          <Input.Search
            allowClear
            placeholder={T.search}
            style={{ width: 200 }}
            onSearch={() => list.setFilters(filterForm.getFieldsValue())}
          />
        </Form.Item>
        <Form.Item name="orgUnitId">
          <TreeSelect
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder={T.unit}
            treeData={filterTree}
            style={{ width: 220 }}
            treeDefaultExpandedKeys={tree[0] ? [tree[0].value] : []}
          />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder={T.status} options={optionsOf(USER_STATUS_LABELS)} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="roleCode">
          <Select
            allowClear
            placeholder={T.role}
            options={roleOptions.all.map((r) => ({ value: r.code, label: r.name }))}
            style={{ width: 150 }}
          />
        </Form.Item>
      </Form>

      <Table<UserRow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.items}
        loading={list.query.isFetching}
        pagination={list.pagination}
        scroll={{ x: 1300 }}
      />

      <Drawer
        open={open}
        title={editing === 'new' ? T.createTitle : T.editTitle}
        size={520}
        onClose={() => setOpen(false)}
        destroyOnHidden
      >
        <UserEditor
          key={seq}
          editing={editing}
          tree={tree}
          roleOptions={roleOptions}
          self={editing !== 'new' && editing.id === meId}
          onCancel={() => setOpen(false)}
          onSaved={onSaved}
        />
      </Drawer>

      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </PageShell>
  );
}
