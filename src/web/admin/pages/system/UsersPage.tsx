// 账号管理: staff accounts, their unit, roles and status; generated passwords are shown once.
import { lazy, useMemo, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Badge, Button, Space, Tag } from 'antd';
import { useFeedback } from '../../components/feedback.js';
import { PlusOutlined, SafetyOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { api, type Page } from '../../api.js';
import { BUILTIN_ROLES, UNIT_ADMIN_ASSIGNABLE } from '../../../../shared/permissions.js';
import { system } from '../../i18n/index.js';
import { formatDateTime } from '../../components/format.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { OnDemand } from '../../components/OnDemand.js';
import type { Columns } from '../../components/DataTable.js';
import { ListPage } from '../../components/ListPage.js';
import { useApiError } from '../../components/useApiError.js';
import { useInvalidate, useList } from '../../components/useList.js';
import { useCan, useMe } from '../../auth/useMe.js';
import { optionsOf } from './labels.js';
import { USER_STATUS } from '../../../../shared/schemas/accounts.js';
import type { Secret } from './SecretModal.js';
import { isPendingApproval, type PendingApproval } from './pendingApproval.js';

const UserDrawer = lazy(() => import('./UserDrawer.js'));
const SecretModal = lazy(() => import('./SecretModal.js'));
const PendingApprovalModal = lazy(() => import('./PendingApprovalModal.js'));

const T = system.users;
const USER_STATUS_LABELS: Record<string, string> = { ...USER_STATUS };

export interface UserRow {
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

export interface RoleOption {
  code: string;
  name: string;
  builtin?: boolean;
  permissions?: readonly string[];
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
    queryKey: ['/api/roles'],
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

export default function UsersPage() {
  const { message } = useFeedback();
  const showError = useApiError();
  const can = useCan();
  const canWrite = can('users:write');
  const invalidate = useInvalidate();
  const list = useList<UserRow>('/api/users');
  const roleOptions = useRoleOptions();
  const meId = useMe().user.id;
  const [editing, setEditing] = useState<UserRow | 'new' | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [pending, setPending] = useState<PendingApproval | null>(null);
  const showPending = setPending;
  const navigate = useNavigate();
  const canSeeApprovals = can('approvals:read');
  const pendingCount = useQuery({
    queryKey: ['/api/approvals', 'pending-count'],
    queryFn: () => api.get<Page<unknown>>('/api/approvals?status=pending&pageSize=1'),
    enabled: canSeeApprovals,
    staleTime: 30_000,
  });
  const refresh = () => invalidate('/api/users', '/api/roles', '/api/sessions', '/api/approvals');

  const setStatus = useMutation({
    mutationFn: (v: { id: string; status: 'active' | 'disabled' }) => api.patch(`/api/users/${v.id}`, { status: v.status }),
    onSuccess: (r, v) => {
      if (isPendingApproval(r)) showPending(r);
      else message.success(v.status === 'active' ? `${T.enable}成功` : `${T.disable}成功`);
      void refresh();
    },
    onError: (e) => showError(e),
  });

  const reset = useMutation({
    mutationFn: (u: UserRow) => api.post<{ password: string } | PendingApproval>(`/api/users/${u.id}/reset-password`),
    onSuccess: (r, u) => {
      if (isPendingApproval(r)) showPending(r);
      else setSecret({ title: `${T.resetPassword}：${T.newPassword}`, username: u.username, password: r.password });
      void refresh();
    },
    onError: (e) => showError(e),
  });

  const columns: Columns<UserRow> = [
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
    { title: T.roles, dataIndex: 'roles', render: (roles: UserRow['roles']) => roles.map((r) => <Tag key={r.code}>{r.name}</Tag>) },
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
          <button type="button" className="link-action" onClick={() => setEditing(u)}>{T.edit}</button>
          {u.id === meId ? (
            // One's own password is changed with the old one, and one cannot lock oneself out.
            <Tag title={T.selfHint}>{T.self}</Tag>
          ) : (
            <>
              <ConfirmButton title={T.resetConfirm} onConfirm={() => reset.mutateAsync(u)}>
                {T.resetPassword}
              </ConfirmButton>
              {u.status === 'active' ? (
                <ConfirmButton danger title={T.disableConfirm} onConfirm={() => setStatus.mutateAsync({ id: u.id, status: 'disabled' })}>
                  {T.disable}
                </ConfirmButton>
              ) : (
                <ConfirmButton title={T.enableConfirm} onConfirm={() => setStatus.mutateAsync({ id: u.id, status: 'active' })}>
                  {T.enable}
                </ConfirmButton>
              )}
            </>
          )}
        </Space>
      ),
    });

  const current = editing && editing !== 'new' ? editing : null;

  return (
    <ListPage
      list={list}
      columns={columns}
      filters={[
        { kind: 'search', name: 'q', label: T.search, width: 220 },
        { kind: 'unit', name: 'orgUnitId', label: T.unit, width: 220 },
        { kind: 'select', name: 'status', label: T.status, options: optionsOf(USER_STATUS_LABELS), width: 110 },
        { kind: 'select', name: 'roleCode', label: T.role, options: roleOptions.all.map((r) => ({ value: r.code, label: r.name })), width: 150 },
      ]}
      actions={
        <>
          {canSeeApprovals && (
            <Badge count={pendingCount.data?.total ?? 0} size="small">
              <Button icon={<SafetyOutlined />} onClick={() => navigate('/approvals')}>{T.approvals}</Button>
            </Badge>
          )}
          {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>{T.create}</Button>}
        </>
      }
      table={{ minWidth: 1300 }}
    >
      <OnDemand open={editing !== null}>
        <UserDrawer
          editing={editing}
          self={current?.id === meId}
          roleOptions={roleOptions}
          onClose={() => setEditing(null)}
          onSaved={(created) => {
            setEditing(null);
            if (isPendingApproval(created)) setPending(created);
            else if (created) setSecret({ title: `${T.created}：${T.initialPassword}`, username: created.username, password: created.initialPassword });
            void refresh();
          }}
        />
      </OnDemand>
      <OnDemand open={secret !== null}>
        <SecretModal secret={secret} onClose={() => setSecret(null)} />
      </OnDemand>
      <OnDemand open={pending !== null}>
        <PendingApprovalModal pending={pending} onClose={() => setPending(null)} />
      </OnDemand>
    </ListPage>
  );
}
